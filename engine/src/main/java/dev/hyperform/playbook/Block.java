package dev.hyperform.playbook;

import dev.hyperform.error.Location;
import java.util.List;

/**
 * {@code block}/{@code rescue}/{@code always}. A static {@code import_tasks} is also loaded as a block (without
 * rescue/always) so that the import's keywords apply to every imported task.
 */
public record Block(String name, List<Step> block, List<Step> rescue, List<Step> always, TaskOptions options,
                    Location location, RoleRef role) implements Step {
    public Block {
        block = List.copyOf(block);
        rescue = List.copyOf(rescue);
        always = List.copyOf(always);
    }
}
