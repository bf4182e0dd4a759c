package org.vigil.dashboards;

import java.util.Locale;
import org.vigil.model.AlertStatus;
import org.vigil.model.Resolution;

/**
 * One change to an alert or one comment on it: the alert's history, kept apart from the alert so
 * the correlation job's upserts never touch it.
 *
 * @param id the activity's own id (a comment's id in the API)
 * @param organizationId the alert's agency, so the activity is scoped like the alert
 * @param time epoch milliseconds
 * @param from the status before a status change
 * @param to the status after a status change
 * @param text a comment's text
 */
public record AlertActivity(
    String id,
    String alertId,
    String organizationId,
    String actor,
    long time,
    Kind kind,
    AlertStatus from,
    AlertStatus to,
    Resolution resolution,
    String reason,
    String assignee,
    String text) {

  public static final int MAX_COMMENT_LENGTH = 10_000;

  /** What happened. */
  public enum Kind {
    STATUS,
    ASSIGN,
    COMMENT;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Kind fromWireName(String name) {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }
  }

  public AlertActivity {
    if (id == null || alertId == null || actor == null || kind == null) {
      throw new IllegalArgumentException("an alert activity needs an id, alert id, actor and kind");
    }
    if (kind == Kind.COMMENT
        && (text == null || text.isBlank() || text.length() > MAX_COMMENT_LENGTH)) {
      throw new IllegalArgumentException(
          "a comment needs text of 1 to " + MAX_COMMENT_LENGTH + " characters");
    }
  }
}
