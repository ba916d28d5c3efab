package dev.meshwork.spring.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshwork.core.Mesh;
import org.junit.jupiter.api.Test;

/** The Actuator view never shows a credential that reached the mesh through an endpoint label. */
class MeshViewRedactionTest {
  @Test
  void labelsThatLookLikeCredentialsAreRedacted() throws Exception {
    try (Mesh mesh =
        Mesh.builder()
            .service("mathoid", s -> s.endpoints("127.0.0.1:9 api-token=s3cr3t version=v1"))
            .build()) {
      String json = new ObjectMapper().writeValueAsString(MeshView.of(mesh));
      assertFalse(json.contains("s3cr3t"), json);
      assertTrue(json.contains("\"api-token\":\"[redacted]\""), json);
      assertTrue(json.contains("\"version\":\"v1\""), json);
    }
  }
}
