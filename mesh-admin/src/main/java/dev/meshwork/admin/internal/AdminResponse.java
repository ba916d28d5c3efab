package dev.meshwork.admin.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;

/**
 * One answer of the admin endpoint.
 *
 * @param status the HTTP status
 * @param contentType the {@code Content-Type}
 * @param body the encoded body
 */
record AdminResponse(int status, String contentType, byte[] body) {
  static final String JSON = "application/json; charset=utf-8";

  static AdminResponse json(int status, JsonNode json) {
    return new AdminResponse(status, JSON, Json.bytes(json));
  }

  static AdminResponse json(JsonNode json) {
    return json(200, json);
  }

  /** A JSON error document: {@code {"error": message}}. */
  static AdminResponse error(int status, String message) {
    return json(status, Json.object().put("status", status).put("error", message));
  }

  static AdminResponse text(int status, String contentType, String body) {
    return new AdminResponse(status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }
}
