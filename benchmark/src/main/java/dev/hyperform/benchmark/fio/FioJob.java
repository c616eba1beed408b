package dev.hyperform.benchmark.fio;

/**
 * One entry of fio's {@code jobs} array: a job (or one clone of it with numjobs and no group_reporting, or a whole
 * reporting group with group_reporting). Figures sum the read, write and trim directions. {@code error} is fio's
 * errno for the job (0 = ok); {@code reason} says what failed, or is empty.
 */
public record FioJob(String name, int groupId, int error, String reason, double iops, double bandwidthBytesPerSec,
                     long ios, Latency latency) {

    public boolean failed() {
        return error != 0;
    }
}
