package dev.hyperform.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hyperform.error.HyperformException;
import dev.hyperform.error.Location;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BatchingTest {

    static Stream<Arguments> serialCases() {
        return Stream.of(
                // hosts, serial, expected batch sizes
                Arguments.of(5, List.of(), List.of(5)),
                Arguments.of(5, List.of(2), List.of(2, 2, 1)),
                Arguments.of(5, List.of("2"), List.of(2, 2, 1)),
                Arguments.of(10, List.of("30%"), List.of(3, 3, 3, 1)),
                Arguments.of(3, List.of("10%"), List.of(1, 1, 1)),
                Arguments.of(4, List.of(1, "50%"), List.of(1, 2, 1)),
                Arguments.of(10, List.of(1, 5, "20%"), List.of(1, 5, 2, 2)),
                Arguments.of(3, List.of(10), List.of(3)),
                Arguments.of(3, List.of(0), List.of(3)),
                Arguments.of(0, List.of(2), List.of()));
    }

    @ParameterizedTest(name = "{0} hosts, serial {1} -> {2}")
    @MethodSource("serialCases")
    void serialBatchesTakeTheRestInTheLastBatch(int hostCount, List<Object> serial, List<Integer> sizes) {
        List<String> hosts = new ArrayList<>();
        for (int i = 1; i <= hostCount; i++) {
            hosts.add("h" + i);
        }
        List<List<String>> batches = Batches.split(hosts, serial, Location.UNKNOWN);
        assertEquals(sizes, batches.stream().map(List::size).toList());
        assertEquals(hosts, batches.stream().flatMap(List::stream).toList(), "every host once, in order");
    }

    @ParameterizedTest
    @MethodSource("badSerial")
    void badSerialIsInvalidInput(Object spec) {
        HyperformException e = assertThrows(HyperformException.class,
                () -> Batches.split(List.of("a", "b"), List.of(spec), Location.UNKNOWN));
        assertEquals(dev.hyperform.error.Failure.INVALID_INPUT, e.kind());
    }

    static Stream<Object> badSerial() {
        return Stream.of("two", "x%", "");
    }

    static Stream<Arguments> failCases() {
        return Stream.of(
                // max_fail_percentage, failed, batch size, stop?
                Arguments.of(49.0, 2, 4, true),
                Arguments.of(50.0, 2, 4, false),
                Arguments.of(0.0, 1, 4, true),
                Arguments.of(0.0, 0, 4, false),
                Arguments.of(100.0, 4, 4, false),
                Arguments.of(null, 3, 4, false),
                Arguments.of(null, 4, 4, true),
                Arguments.of(33.0, 1, 3, true),
                Arguments.of(34.0, 1, 3, false));
    }

    @ParameterizedTest(name = "max_fail {0}%: {1}/{2} failed -> stop {3}")
    @MethodSource("failCases")
    void maxFailPercentageMustBeExceeded(Double max, int failed, int size, boolean stop) {
        assertEquals(stop, FailureBudget.exceeded(max, failed, size));
    }
}
