package dev.hyperform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** sshj's cryptography is warmed up at start only when the command line asks for the built-in client. */
class WarmupChoiceTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "play -i inv site.yaml | false",
            "play -i inv -c openssh site.yaml | false",
            "play -i inv -c smart site.yaml | false",
            "play -i inv -c ssh site.yaml | true",
            "play -i inv --connection ssh site.yaml | true",
            "play -i inv --connection=ssh site.yaml | true",
            "play -i inv -cssh site.yaml | true",
            "play -i inv -copenssh site.yaml | false",
            "play -i inv --connection=openssh site.yaml | false",
            "play -i inv -c local site.yaml | false",
            "play -i inv -- -c ssh | false",
            "play -i inv site.yaml -c | false"})
    void onlyABuiltInClientCommandLineWarmsSshjUp(String line, boolean warm) {
        assertEquals(warm, Main.builtInClient(line.split(" ")));
    }
}
