package dev.meshwork.core.internal.admin;

/** {@code /decisions}: the recent-decisions buffer, newest first. Details are redacted like all free text. */
final class DecisionsPage implements AdminPage {
  private final DecisionLog decisions;

  DecisionsPage(DecisionLog decisions) {
    this.decisions = decisions;
  }

  @Override
  public AdminResponse render() {
    JsonWriter json = new JsonWriter().beginObject()
        .field("capacity", decisions.capacity())
        .field("recorded", decisions.recorded())
        .name("decisions").beginArray();
    for (Decision decision : decisions.newestFirst()) {
      json.beginObject()
          .field("sequence", decision.sequence())
          .field("time", decision.time())
          .field("service", decision.service())
          .field("kind", decision.kind().name())
          .field("detail", Redaction.text(decision.detail()))
          .field("endpoint", decision.endpoint() == null ? null : decision.endpoint().address())
          .endObject();
    }
    return AdminResponse.json(json.endArray().endObject());
  }
}
