package dev.meshwork.admin.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.Mesh;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Without mesh-config on the class path the document pages say how to get them. */
class DocumentPagesTest {

  @Test
  void withoutMeshConfigTheDocumentIsA404NamingTheDependency() throws Exception {
    try (Mesh mesh = Mesh.builder().service("mathoid", s -> s.endpoints("127.0.0.1:1")).build()) {
      Map<String, AdminPage> pages = new HashMap<>();
      DocumentPages.add(pages, mesh, false);
      for (String path : new String[] {"/config/document", "/config/document.json"}) {
        AdminResponse response = pages.get(path).render();
        assertEquals(404, response.status());
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertTrue(body.contains("dev.meshwork:mesh-config"), body);
      }
    }
  }
}
