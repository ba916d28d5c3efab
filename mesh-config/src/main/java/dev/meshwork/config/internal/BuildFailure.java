package dev.meshwork.config.internal;

import dev.meshwork.core.exception.MeshConfigException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Places a refusal of {@code MeshBuilder.build()} at the document field it concerns. */
public final class BuildFailure {
  private static final Pattern SERVICE = Pattern.compile("service '([^']+)'(?: (.*))?");

  private BuildFailure() {}

  /** The field path of the setting {@code e} refuses, as near as its field name tells. */
  public static String path(MeshConfigException e) {
    Matcher m = SERVICE.matcher(e.field());
    if (!m.matches()) {
      return "mesh";
    }
    String service = DocPath.child("services", m.group(1));
    String rest = m.group(2) == null ? "" : m.group(2);
    if (rest.startsWith("peer")) {
      return DocPath.child(service, "peerIdentities");
    }
    if (rest.startsWith("tls")) {
      return DocPath.child(service, "tls");
    }
    return service;
  }
}
