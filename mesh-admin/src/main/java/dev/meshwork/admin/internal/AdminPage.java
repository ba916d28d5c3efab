package dev.meshwork.admin.internal;

/** One path of the admin endpoint: renders the current state on each GET. Must be thread-safe. */
@FunctionalInterface
interface AdminPage {
  AdminResponse render() throws Exception;
}
