package dev.meshwork.spring;

import dev.meshwork.okhttp.MeshService;
import org.springframework.web.service.annotation.GetExchange;

/** A Spring HTTP interface of the mesh service {@code mathoid}. */
@MeshService("mathoid")
public interface MathoidExchange {
  @GetExchange("/render/png")
  String render();
}
