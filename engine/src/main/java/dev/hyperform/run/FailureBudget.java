package dev.hyperform.run;

/**
 * {@code max_fail_percentage} for one batch: the play stops when the share of failed hosts in the batch
 * EXCEEDS the percentage (equal is still fine), as in Ansible. Without the keyword, the play stops only when
 * every host of the batch failed.
 */
public final class FailureBudget {
    private FailureBudget() {
    }

    /** Whether the play must stop after this batch. {@code maxFailPercentage} null = not set. */
    public static boolean exceeded(Double maxFailPercentage, int failed, int batchSize) {
        if (batchSize == 0) {
            return false;
        }
        if (maxFailPercentage == null) {
            return failed >= batchSize;
        }
        return failed * 100.0 / batchSize > maxFailPercentage;
    }
}
