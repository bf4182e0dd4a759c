package org.vigil.dashboards.reports;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A generated report: what was asked ({@code definition}), over which time ({@code [from, to)}),
 * and what was found, section by section. Renderers (PDF, CSV) print it; the content hash is taken
 * over its canonical JSON form, so the same report always has the same hash.
 *
 * @param from the start of the period, inclusive
 * @param to the end of the period, exclusive: the generation time rounded down to the second
 * @param generatedAt when generation started
 * @param generatedBy who asked: a username, {@code cli:<OS user>}, or {@code schedule}
 */
public record Report(
    ReportDefinition definition,
    Instant from,
    Instant to,
    Instant generatedAt,
    String generatedBy,
    List<ReportSection> sections) {

  public Report {
    sections = List.copyOf(sections);
  }

  /** The section of this kind, if the definition asked for it. */
  public Optional<ReportSection> section(SectionKind kind) {
    return sections.stream().filter(s -> s.kind() == kind).findFirst();
  }
}
