package org.vigil.dashboards.reports;

import java.util.List;
import java.util.Optional;

/**
 * One section of a report: its headline figures, charts, tables and the notes that say how to read
 * them (what was counted, what could not be).
 *
 * @param kind which section this is
 * @param notes sentences printed under the heading, in order
 */
public record ReportSection(
    SectionKind kind,
    List<String> notes,
    List<ReportFigure> figures,
    List<ReportChart> charts,
    List<ReportTable> tables) {

  public ReportSection {
    notes = List.copyOf(notes);
    figures = List.copyOf(figures);
    charts = List.copyOf(charts);
    tables = List.copyOf(tables);
  }

  /** The figure with this key, if the section has it. */
  public Optional<ReportFigure> figure(String key) {
    return figures.stream().filter(f -> f.key().equals(key)).findFirst();
  }

  /** The table with this id, if the section has it. */
  public Optional<ReportTable> table(String id) {
    return tables.stream().filter(t -> t.id().equals(id)).findFirst();
  }
}
