package org.vigil.dashboards;

import java.util.LinkedHashMap;
import java.util.Map;
import org.vigil.rules.engine.RuleRelease;

/**
 * Something a person did that auditors must be able to see later: a login, a view of an alert's
 * details, a status change, a comment, an export, a rule deploy, a user change.
 *
 * @param actor the username that acted; {@code system} for the dashboard itself
 * @param action dotted verb, e.g. {@code user.login}, {@code alert.status}, {@code events.export}
 * @param target what was acted on (an alert id, a username, {@code ruleset@version}); may be empty
 * @param outcome {@code success} or {@code failure}
 * @param clientAddress the caller's address as the server saw it; null for command-line actions
 * @param details action-specific facts (old and new status, the query exported, row count...)
 */
public record AuditEvent(
    String actor,
    String action,
    String target,
    String outcome,
    String clientAddress,
    Map<String, Object> details) {

  public static final String SUCCESS = "success";
  public static final String FAILURE = "failure";

  public AuditEvent {
    if (actor == null || actor.isBlank()) {
      throw new IllegalArgumentException("an audit event needs an actor");
    }
    if (action == null || action.isBlank()) {
      throw new IllegalArgumentException("an audit event needs an action");
    }
    target = target == null ? "" : target;
    outcome = outcome == null ? SUCCESS : outcome;
    details = details == null ? Map.of() : Map.copyOf(details);
  }

  /** A successful action by {@code actor}. */
  public static AuditEvent success(
      String actor,
      String clientAddress,
      String action,
      String target,
      Map<String, Object> details) {
    return new AuditEvent(actor, action, target, SUCCESS, clientAddress, details);
  }

  /**
   * A rule release deployed, by the dashboard or the command line: the release's deployer acted on
   * {@code ruleset@version}.
   *
   * @param via how it was deployed when not through the dashboard, e.g. {@code vigil rules}; null
   *     for the dashboard's API
   */
  public static AuditEvent ruleDeploy(
      RuleRelease release, int rules, String clientAddress, String via) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("version", release.version());
    details.put("rules", rules);
    details.put("content_hash", release.contentHash());
    details.put("note", release.note());
    if (via != null) {
      details.put("via", via);
    }
    return success(
        release.deployedBy(),
        clientAddress,
        "rules.deploy",
        release.ruleset() + "@" + release.version(),
        details);
  }
}
