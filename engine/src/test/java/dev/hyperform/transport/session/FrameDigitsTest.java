package dev.hyperform.transport.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A frame's process id and exit status are read only when they are what the driver writes: 1 to N ASCII digits. */
class FrameDigitsTest {

    @ParameterizedTest(name = "''{0}'' max {1}")
    @CsvSource(delimiter = '|', value = {
            "0 | 3", "127 | 3", "1000 | 3", "'' | 3", "12a | 3", "-1 | 3", "' 1' | 3", "١٢ | 3",
            "4194304 | 10", "12345678901 | 10", "0x1f | 10"})
    void readsWhatTheRegularExpressionRead(String s, int max) {
        assertEquals(s.matches("[0-9]{1," + max + "}"), FrameReader.digits(s, max));
    }
}
