package dev.meshwork.config.internal;

/**
 * One lint finding as the rules make it, before {@code MeshConfig} places it at a file, line and
 * column.
 *
 * @param rule the rule that found it
 * @param level how serious it is
 * @param path the field path, such as {@code services.mathoid.routes[1]}
 * @param message what is wrong, in the document's terms
 * @param hint how to fix it
 */
public record Finding(
    LintRule rule, LintRule.Level level, String path, String message, String hint) {}
