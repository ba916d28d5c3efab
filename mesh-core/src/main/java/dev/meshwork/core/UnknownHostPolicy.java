package dev.meshwork.core;

import dev.meshwork.core.exception.UnknownMeshHostException;

/**
 * What a mesh transport does with a call whose URL host is not a configured service; set with
 * {@link MeshBuilder#unknownHosts(UnknownHostPolicy)}.
 *
 * <p>{@code localhost} and IP literals always pass through (tests and local sidecars use them);
 * only hosts that look like a mistyped service are ever refused.
 */
public enum UnknownHostPolicy {
  /**
   * Every unknown host is called directly, outside the mesh: its own DNS, no mesh TLS, no retries.
   */
  PASS_THROUGH,
  /**
   * Single-label hosts (such as {@code biling}) and hosts under one of the {@linkplain
   * MeshBuilder#meshDomains mesh domains} are refused with {@link UnknownMeshHostException} before
   * anything is sent; other hosts (such as {@code api.example.com}) pass through.
   */
  REFUSE_MESH_LIKE
}
