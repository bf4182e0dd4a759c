package org.vigil.correlation.enrich;

import java.util.Objects;
import org.apache.flink.api.common.functions.MapFunction;
import org.vigil.model.Event;

/**
 * Gives each event the agency of the network that sent it ({@code observer.ip}, which every branch
 * of the job sets to the sender's address). Changes the event in place: the job runs with object
 * reuse and no operator before this one keeps its output.
 */
public final class OrganizationAssigner implements MapFunction<Event, Event> {
  private static final long serialVersionUID = 1L;

  private final SourceOrganizations organizations;

  public OrganizationAssigner(SourceOrganizations organizations) {
    this.organizations = Objects.requireNonNull(organizations, "organizations");
  }

  @Override
  public Event map(Event event) {
    organizations.assign(event, event.text("observer.ip"));
    return event;
  }
}
