/**
 * The policies a service is called with ({@code ServiceConfig.Builder} sets them), all on one
 * convention: a policy is never {@code null}; it has {@code defaults()} when it is on by default,
 * and {@code disabled()} when it can be off ({@link HealthCheck} and {@link SlowStart} are off
 * until set); a setting that may have no value is an {@link java.util.Optional}.
 */
package dev.meshwork.core.policy;
