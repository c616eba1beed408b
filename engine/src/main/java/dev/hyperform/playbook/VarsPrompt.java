package dev.hyperform.playbook;

/** One {@code vars_prompt} entry. Without a terminal and without a value from -e it is an error, never a hang. */
public record VarsPrompt(String name, String prompt, Object defaultValue, boolean isPrivate) {
}
