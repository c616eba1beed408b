package dev.hyperform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** sshj's cryptography is warmed up at start unless the command line says every connection is OpenSSH's. */
class WarmupChoiceTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "play -i inv site.yaml | false",
            "play -i inv -c openssh site.yaml | true",
            "play -i inv --connection openssh site.yaml | true",
            "play -i inv --connection=openssh site.yaml | true",
            "play -i inv -copenssh site.yaml | true",
            "play -i inv -c ssh site.yaml | false",
            "play -i inv -c local site.yaml | false",
            "play -i inv -- -c openssh | false",
            "play -i inv site.yaml -c | false"})
    void onlyAnOpenSshCommandLineSkipsTheWarmup(String line, boolean skip) {
        assertEquals(skip, Main.openSshOnly(line.split(" ")));
    }
}
