package dev.hyperform.benchmark.fio;

import dev.hyperform.error.Failure;
import dev.hyperform.error.HyperformException;
import dev.hyperform.error.Location;
import java.nio.file.Path;

/** fio's output is not a JSON document fio writes (the file, and what was wrong with it). */
public final class FioOutputException extends HyperformException {
    public FioOutputException(Path file, String message) {
        super(Failure.INVALID_INPUT, file == null ? Location.UNKNOWN : Location.of(file), message,
                "the file must hold what 'fio --output-format=json' (or json+) printed on stdout");
    }
}
