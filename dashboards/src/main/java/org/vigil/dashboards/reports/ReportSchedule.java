package org.vigil.dashboards.reports;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * When a scheduled report runs: a Unix cron expression (minute hour day-of-month month day-of-week,
 * e.g. {@code 0 6 * * MON}), read in UTC so every dashboard process and every auditor agrees on
 * what "06:00" means. Parsed by cron-utils.
 */
public final class ReportSchedule {
  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private final String expression;
  private final ExecutionTime executionTime;

  private ReportSchedule(String expression, ExecutionTime executionTime) {
    this.expression = expression;
    this.executionTime = executionTime;
  }

  /**
   * @throws IllegalArgumentException naming the expression and what cron-utils found wrong
   */
  public static ReportSchedule parse(String expression) {
    try {
      return new ReportSchedule(
          expression, ExecutionTime.forCron(PARSER.parse(expression.strip())));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "schedule '"
              + expression
              + "' is not a Unix cron expression (minute hour day month weekday, e.g. '0 6 * *"
              + " MON'): "
              + e.getMessage(),
          e);
    }
  }

  /** The first time after {@code after} the report is due; empty if never again. */
  public Optional<Instant> next(Instant after) {
    return executionTime.nextExecution(after.atZone(ZoneOffset.UTC)).map(t -> t.toInstant());
  }

  /** The last time before {@code before} the report was due; empty if never. */
  public Optional<Instant> previous(Instant before) {
    return executionTime.lastExecution(before.atZone(ZoneOffset.UTC)).map(t -> t.toInstant());
  }

  @Override
  public String toString() {
    return expression;
  }
}
