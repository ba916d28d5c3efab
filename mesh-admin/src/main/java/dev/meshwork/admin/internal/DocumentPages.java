package dev.meshwork.admin.internal;

import dev.meshwork.core.Mesh;
import java.util.Map;

/**
 * Decides what {@code /config/document} (YAML) and {@code /config/document.json} serve: the mesh's
 * effective document when mesh-config, an optional dependency, is on the class path, else a 404
 * that says how to get it. Kept apart from {@link DocumentPage} so that mesh-config is loaded only
 * when present.
 */
final class DocumentPages {
  static final String YAML_PATH = "/config/document";
  static final String JSON_PATH = "/config/document.json";
  private static final String MESH_CONFIG = "dev.meshwork.config.MeshConfig";

  private DocumentPages() {}

  static void add(Map<String, AdminPage> pages, Mesh mesh) {
    add(pages, mesh, configPresent());
  }

  static void add(Map<String, AdminPage> pages, Mesh mesh, boolean configPresent) {
    if (configPresent) {
      pages.put(YAML_PATH, new DocumentPage(mesh, false));
      pages.put(JSON_PATH, new DocumentPage(mesh, true));
      return;
    }
    AdminPage missing =
        () ->
            AdminResponse.error(
                404,
                "the mesh document needs mesh-config: add the dependency dev.meshwork:mesh-config");
    pages.put(YAML_PATH, missing);
    pages.put(JSON_PATH, missing);
  }

  private static boolean configPresent() {
    try {
      Class.forName(MESH_CONFIG, false, DocumentPages.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
