package dev.meshwork.core.internal.admin;

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

  static AdminResponse json(int status, JsonWriter json) {
    return new AdminResponse(status, JSON, json.toBytes());
  }

  static AdminResponse json(JsonWriter json) {
    return json(200, json);
  }

  /** A JSON error document: {@code {"error": message}}. */
  static AdminResponse error(int status, String message) {
    return json(status, new JsonWriter().beginObject().field("status", status).field("error", message).endObject());
  }

  static AdminResponse text(int status, String contentType, String body) {
    return new AdminResponse(status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }
}
