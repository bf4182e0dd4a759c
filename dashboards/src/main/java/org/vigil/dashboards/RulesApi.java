package org.vigil.dashboards;

import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.rules.engine.RuleCompilationException;
import org.vigil.rules.engine.RuleDefinition;
import org.vigil.rules.engine.RulePack;
import org.vigil.rules.engine.RuleRelease;
import org.vigil.rules.release.RulePackValidator;

/**
 * Rules as the dashboard shows and deploys them: {@code /api/v1/rules}. Deploys pass the same
 * validation as {@code vigil rules deploy} and are audited before they are published.
 */
final class RulesApi {
  /** Who may validate and deploy rules. */
  static final Set<Role> RULE_WRITERS = Set.of(Role.RULE_ADMIN, Role.ADMIN);

  private static final Logger LOG = LoggerFactory.getLogger(RulesApi.class);
  private static final int MAX_NOTE = 500;

  private final Vertx vertx;
  private final RuleReleaseStore releases;
  private final AuditTrail audit;
  private final Clock clock;

  RulesApi(Vertx vertx, RuleReleaseStore releases, AuditTrail audit, Clock clock) {
    this.vertx = vertx;
    this.releases = releases;
    this.audit = audit;
    this.clock = clock;
  }

  /** GET /api/v1/rules: the rules the ruleset runs now. */
  void live(RoutingContext ctx) {
    if (!CallerAuthHandler.requireAnyRole(ctx, Role.ALERT_READERS)) {
      return;
    }
    String ruleset = ruleset(ctx);
    vertx
        .executeBlocking(() -> liveRules(ruleset), false)
        .onSuccess(body -> JsonResponses.ok(ctx, body))
        .onFailure(e -> unavailable(ctx, e));
  }

  /** GET /api/v1/rules/releases: every deployed version, newest first. */
  void history(RoutingContext ctx) {
    if (!CallerAuthHandler.requireAnyRole(ctx, Role.ALERT_READERS)) {
      return;
    }
    String ruleset = ruleset(ctx);
    vertx
        .executeBlocking(() -> releases.history(ruleset), false)
        .onSuccess(
            list -> {
              JsonArray items = new JsonArray();
              for (int i = list.size() - 1; i >= 0; i--) {
                items.add(summary(list.get(i)));
              }
              JsonResponses.ok(
                  ctx, new JsonObject().put("ruleset", ruleset).put("releases", items));
            })
        .onFailure(e -> unavailable(ctx, e));
  }

  /** POST /api/v1/rules/validate: what a deploy of these files would refuse. */
  void validate(RoutingContext ctx) {
    if (!CallerAuthHandler.requireAnyRole(ctx, RULE_WRITERS)) {
      return;
    }
    Deploy request = deployRequest(ctx);
    if (request == null) {
      return;
    }
    vertx
        .executeBlocking(
            () -> RulePackValidator.validate(request.ruleset(), request.files(), List.of()), false)
        .onSuccess(
            result ->
                JsonResponses.ok(
                    ctx,
                    new JsonObject()
                        .put("valid", result.valid())
                        .put("rules", result.pack() == null ? 0 : result.pack().rules().size())
                        .put("problems", new JsonArray(result.problems()))))
        .onFailure(e -> unavailable(ctx, e));
  }

  /** POST /api/v1/rules/releases: validates, audits, then publishes the next version. */
  void deploy(RoutingContext ctx) {
    if (!CallerAuthHandler.requireAnyRole(ctx, RULE_WRITERS)) {
      return;
    }
    Deploy request = deployRequest(ctx);
    if (request == null) {
      return;
    }
    User caller = CallerAuthHandler.caller(ctx);
    String client =
        ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
    vertx
        .executeBlocking(
            () -> {
              RulePackValidator.Result result =
                  RulePackValidator.validate(request.ruleset(), request.files(), List.of());
              if (!result.valid()) {
                return new JsonObject()
                    .put("error", "the rules were not deployed: fix the problems listed")
                    .put("problems", new JsonArray(result.problems()));
              }
              int version =
                  releases.history(request.ruleset()).stream()
                          .mapToInt(RuleRelease::version)
                          .max()
                          .orElse(RuleRelease.BUILT_IN_VERSION)
                      + 1;
              RuleRelease release =
                  RuleRelease.of(
                      request.ruleset(),
                      version,
                      caller.username(),
                      Instant.now(clock),
                      request.files(),
                      request.note());
              audit.append(
                  AuditEvent.ruleDeploy(release, result.pack().rules().size(), client, null));
              releases.publish(release);
              LOG.info(
                  "user {} deployed ruleset {} version {}",
                  caller.username(),
                  request.ruleset(),
                  version);
              return summary(release);
            },
            false)
        .onSuccess(
            body -> {
              if (body.containsKey("problems")) {
                JsonResponses.send(ctx, 422, body);
              } else {
                JsonResponses.send(ctx, 201, body);
              }
            })
        .onFailure(e -> unavailable(ctx, e));
  }

  private JsonObject liveRules(String ruleset) throws RuleCompilationException {
    List<RuleRelease> history = releases.history(ruleset);
    JsonObject body = new JsonObject().put("ruleset", ruleset);
    RulePack pack;
    if (history.isEmpty()) {
      if (!RulePack.BUILT_IN_ID.equals(ruleset)) {
        return body.put("version", null).put("rules", new JsonArray());
      }
      pack = RulePack.builtIn();
      body.put("version", RuleRelease.BUILT_IN_VERSION).put("deployedBy", "shipped with Vigil");
    } else {
      RuleRelease newest = history.get(history.size() - 1);
      pack = newest.compile();
      body.mergeIn(summary(newest));
    }
    JsonArray rules = new JsonArray();
    for (RuleDefinition rule : pack.rules()) {
      rules.add(
          new JsonObject()
              .put("id", rule.id())
              .put("name", rule.name())
              .put("version", rule.version())
              .put("severity", rule.severity().wireName())
              .put("techniqueId", rule.techniqueId())
              .put("description", rule.description())
              .put("groupBy", new JsonArray(rule.groupBy()))
              .put("window", rule.window() == null ? null : rule.window().toString())
              .put("compliance", new JsonArray(rule.compliance()))
              .put("falsePositives", rule.falsePositives()));
    }
    return body.put("rules", rules);
  }

  private static JsonObject summary(RuleRelease release) {
    return new JsonObject()
        .put("ruleset", release.ruleset())
        .put("version", release.version())
        .put("deployedBy", release.deployedBy())
        .put("deployedAt", release.deployedAt().toString())
        .put("contentHash", release.contentHash())
        .put("note", release.note())
        .put("ruleCount", release.ruleCount());
  }

  private static String ruleset(RoutingContext ctx) {
    String ruleset = ctx.queryParams().get("ruleset");
    return ruleset == null || ruleset.isBlank() ? RulePack.BUILT_IN_ID : ruleset.trim();
  }

  /**
   * The body {@code {"ruleset": "vigil", "note": "...", "files": {"name.drl": "rule ..."}}}, or
   * null after answering 400.
   */
  private static Deploy deployRequest(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      JsonResponses.error(ctx, 400, "the body is not a JSON object");
      return null;
    }
    if (body == null || !(body.getValue("files") instanceof JsonObject files) || files.isEmpty()) {
      JsonResponses.error(
          ctx, 400, "send {\"files\": {\"name.drl\": \"DRL text\"}} with at least one file");
      return null;
    }
    Map<String, String> drl = new LinkedHashMap<>();
    for (String name : files.fieldNames()) {
      if (!(files.getValue(name) instanceof String text) || !name.endsWith(".drl")) {
        JsonResponses.error(ctx, 400, "file " + name + ": give DRL text for a name ending .drl");
        return null;
      }
      drl.put(name, text);
    }
    Object ruleset = body.getValue("ruleset");
    Object note = body.getValue("note");
    if ((ruleset != null && !(ruleset instanceof String))
        || (note != null && !(note instanceof String))) {
      JsonResponses.error(ctx, 400, "ruleset and note must be strings");
      return null;
    }
    String noteText = note == null ? "" : ((String) note).strip();
    if (noteText.length() > MAX_NOTE) {
      JsonResponses.error(ctx, 400, "the note is longer than " + MAX_NOTE + " characters");
      return null;
    }
    String rulesetId =
        ruleset == null || ((String) ruleset).isBlank()
            ? RulePack.BUILT_IN_ID
            : ((String) ruleset).trim();
    return new Deploy(rulesetId, drl, noteText);
  }

  private static void unavailable(RoutingContext ctx, Throwable e) {
    if (e instanceof IllegalArgumentException) {
      JsonResponses.error(ctx, 400, e.getMessage());
      return;
    }
    LOG.warn("rules request failed: {}", e.toString());
    JsonResponses.error(
        ctx, 503, "rule releases or the audit trail are unavailable: " + e.getMessage());
  }

  private record Deploy(String ruleset, Map<String, String> files, String note) {}
}
