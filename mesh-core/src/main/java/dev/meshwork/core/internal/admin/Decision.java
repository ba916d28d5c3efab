package dev.meshwork.core.internal.admin;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.internal.telemetry.DecisionKind;
import java.time.Instant;

/**
 * One entry of the recent-decisions buffer.
 *
 * @param sequence the entry's number in the mesh, from 0
 * @param time when the decision was made, by the mesh clock
 * @param service the service of the call or endpoint
 * @param kind what was decided
 * @param detail what and why, in a few words; at most {@link DecisionLog#MAX_DETAIL} characters and an ellipsis
 * @param endpoint the endpoint concerned, or {@code null}; kept whole and formatted when the page is
 *     read, so recording one (a pick per attempt) formats nothing
 */
record Decision(long sequence, Instant time, String service, DecisionKind kind, String detail, Endpoint endpoint) {
}
