package dev.hyperform.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** hyperform_session / HYPERFORM_SESSION: the persistent shell is the default, exec channels on request. */
class SessionModeTest {

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {"null, true", "'', true", "shell, true", "exec, false"})
    void modes(String mode, boolean persistent) {
        assertEquals(persistent, Connections.persistentShell(mode, "h1"));
    }

    @ParameterizedTest
    @CsvSource({"pty", "Shell", "ssh"})
    void unknownModesAreRefusedNamingTheHostAndTheChoices(String mode) {
        TransportException e = assertThrows(TransportException.class, () -> Connections.persistentShell(mode, "h1"));
        assertTrue(e.getMessage().contains("h1") && e.getMessage().contains(mode), e.getMessage());
        assertTrue(e.hint().contains("shell or exec"), e.hint());
    }
}
