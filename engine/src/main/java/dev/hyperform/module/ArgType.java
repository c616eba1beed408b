package dev.hyperform.module;

/**
 * The type of a module argument, checked before anything runs. {@link #EXPRESSION} arguments are FreeMarker
 * expressions kept as text (not interpolated) for the module to evaluate, like {@code assert}'s {@code that}.
 */
public enum ArgType {
    STRING, INT, BOOL, LIST, MAP, PATH, MODE, ANY, EXPRESSION, SECRET
}
