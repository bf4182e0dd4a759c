package org.vigil.dashboards.reports;

import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.elasticsearch.core.search.TotalHits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import org.vigil.dashboards.AgencyScope;
import org.vigil.dashboards.AuditVerification;
import org.vigil.dashboards.ElasticsearchAuditTrail;
import org.vigil.dashboards.User;
import org.vigil.dashboards.UserStore;
import org.vigil.elasticsearch.Indices;

/**
 * Who got into what: logins to the monitored systems, changes to privileged accounts there, and the
 * dashboard's own audit trail with its hash-chain verification.
 *
 * <p>Logins are the events of category {@code authentication}, type {@code start}, outcome {@code
 * success} or {@code failure}: sshd's accepted and failed logins, Windows 4624 and 4625, and the
 * failed re-authentication of {@code passwd}. The other lines of one sshd attempt (invalid user,
 * PAM, disconnects) have type {@code info} or {@code end}, so one attempt counts once.
 *
 * <p>Privileged account changes, the same changes the linux and windows rule packs alert on:
 * members added to or removed from a group that grants root on Linux (sudo, wheel, admin, root,
 * docker, lxd) or a privileged Windows or Active Directory group (by well-known SID or English
 * name), and Linux accounts created with UID 0.
 */
public final class AccessSection implements SectionBuilder {
  /** Rows of the privileged-changes table; the figure counts them all. */
  static final int MAX_ROWS = 1_000;

  /** Users and source addresses listed by failed logins. */
  static final int TOP = 20;

  static final Set<String> LINUX_ADMIN_GROUPS =
      Set.of("sudo", "wheel", "admin", "root", "docker", "lxd");
  static final List<String> LINUX_GROUP_ACTIONS =
      List.of(
          "group_member_added",
          "group_member_removed",
          "group_members_set",
          "group_administrators_set");
  static final List<String> WINDOWS_GROUP_ACTIONS =
      List.of("added-member-to-group", "removed-member-from-group");
  static final List<String> WINDOWS_PRIVILEGED_GROUPS =
      List.of(
          "administrators",
          "domain admins",
          "enterprise admins",
          "schema admins",
          "account operators",
          "backup operators",
          "server operators",
          "print operators",
          "group policy creator owners",
          "key admins",
          "enterprise key admins",
          "hyper-v administrators",
          "dnsadmins");
  static final List<String> WINDOWS_BUILTIN_SIDS =
      List.of(
          "S-1-5-32-544",
          "S-1-5-32-548",
          "S-1-5-32-549",
          "S-1-5-32-550",
          "S-1-5-32-551",
          "S-1-5-32-578");

  /** Relative ids of the domain's privileged groups: Domain, Schema, Enterprise Admins... */
  static final List<String> DOMAIN_PRIVILEGED_RIDS =
      List.of("512", "518", "519", "520", "526", "527");

  private static final List<String> CHANGE_FIELDS =
      List.of(
          "organization.id",
          "host.name",
          "user.name",
          "user.target.name",
          "event.action",
          "group.name",
          "process.real_user.name");

  private final UserStore users;

  /**
   * @param users the dashboard's users: an agency-scoped report counts only the audit records of
   *     its agencies' users
   */
  public AccessSection(UserStore users) {
    this.users = users;
  }

  @Override
  public ReportSection build(ReportContext ctx, Map<SectionKind, ReportSection> earlier)
      throws IOException {
    List<ReportFigure> figures = new ArrayList<>();
    List<ReportTable> tables = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    logins(ctx, figures, tables);
    privilegedChanges(ctx, figures, tables);
    audit(ctx, figures, tables, notes);
    notes.add(
        0,
        "Logins: authentication events that start a session (sshd accepted and failed logins,"
            + " Windows 4624 and 4625), once per attempt. Privileged changes: members added to or"
            + " removed from groups that grant administrator rights (Linux sudo, wheel, admin,"
            + " root, docker, lxd; Windows and Active Directory administrator and operator"
            + " groups), and Linux accounts created with UID 0.");
    return new ReportSection(SectionKind.ACCESS, notes, figures, List.of(), tables);
  }

  private static void logins(
      ReportContext ctx, List<ReportFigure> figures, List<ReportTable> tables) throws IOException {
    Query logins =
        ReportQueries.all(
            ReportQueries.period("@timestamp", ctx.from(), ctx.to()),
            ReportQueries.scope("organization.id", ctx.agencies()),
            ReportQueries.term("event.category", "authentication"),
            ReportQueries.term("event.type", "start"),
            ReportQueries.terms("event.outcome", List.of("success", "failure")));
    Map<String, long[]> byAgency = new TreeMap<>(Comparator.nullsLast(Comparator.naturalOrder()));
    ReportQueries.countBy(
        ctx.client(),
        Indices.EVENTS_PATTERN,
        logins,
        List.of("organization.id", "event.outcome"),
        (key, n) ->
            byAgency
                    .computeIfAbsent(key.get(0), k -> new long[2])[
                    "success".equals(key.get(1)) ? 0 : 1] +=
                n);
    long success = 0;
    long failure = 0;
    List<List<String>> rows = new ArrayList<>();
    for (Map.Entry<String, long[]> e : byAgency.entrySet()) {
      long[] c = e.getValue();
      success += c[0];
      failure += c[1];
      rows.add(
          List.of(
              e.getKey() == null ? "(none)" : e.getKey(),
              ReportText.count(c[0]),
              ReportText.count(c[1]),
              ReportText.percent(c[1], c[0] + c[1])));
    }
    figures.add(new ReportFigure("logins.success", "Successful logins", ReportText.count(success)));
    figures.add(new ReportFigure("logins.failure", "Failed logins", ReportText.count(failure)));
    tables.add(
        new ReportTable(
            "access-logins",
            "Logins to monitored systems by agency",
            List.of("Agency", "Successful", "Failed", "Failed share"),
            rows));

    Query failures = ReportQueries.all(logins, ReportQueries.term("event.outcome", "failure"));
    tables.add(
        new ReportTable(
            "access-failed-users",
            "Users with the most failed logins",
            List.of("User", "Failed logins"),
            top(ctx, failures, "user.name")));
    tables.add(
        new ReportTable(
            "access-failed-sources",
            "Source addresses with the most failed logins",
            List.of("Source address", "Failed logins"),
            top(ctx, failures, "source.ip")));
  }

  /**
   * The {@link #TOP} values of {@code field} with the most matching events, most first, ties by
   * value. Counted over every value (composite), keeping only the leaders: exact, unlike a terms
   * aggregation's top over several indices, and small however many values there are.
   */
  private static List<List<String>> top(ReportContext ctx, Query query, String field)
      throws IOException {
    Comparator<Map.Entry<String, Long>> rank = leaderOrder();
    PriorityQueue<Map.Entry<String, Long>> leaders = new PriorityQueue<>(rank.reversed());
    ReportQueries.countBy(
        ctx.client(),
        Indices.EVENTS_PATTERN,
        query,
        List.of(field),
        (key, n) -> {
          if (key.get(0) == null) {
            return;
          }
          leaders.add(Map.entry(key.get(0), n));
          if (leaders.size() > TOP) {
            leaders.poll();
          }
        });
    List<Map.Entry<String, Long>> sorted = new ArrayList<>(leaders);
    sorted.sort(rank);
    return sorted.stream().map(e -> List.of(e.getKey(), ReportText.count(e.getValue()))).toList();
  }

  /** Most first, then by value. */
  static Comparator<Map.Entry<String, Long>> leaderOrder() {
    return Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue)
        .reversed()
        .thenComparing(Map.Entry::getKey);
  }

  private static void privilegedChanges(
      ReportContext ctx, List<ReportFigure> figures, List<ReportTable> tables) throws IOException {
    Query query =
        ReportQueries.all(
            ReportQueries.period("@timestamp", ctx.from(), ctx.to()),
            ReportQueries.scope("organization.id", ctx.agencies()),
            ReportQueries.term("event.category", "iam"),
            ReportQueries.term("event.outcome", "success"),
            Query.of(
                q ->
                    q.bool(
                        b ->
                            b.should(linuxAdminGroupChange())
                                .should(windowsPrivilegedGroupChange())
                                .should(
                                    ReportQueries.all(
                                        ReportQueries.term("event.action", "user_created"),
                                        ReportQueries.term("user.id", "0")))
                                .minimumShouldMatch("1"))));
    SearchResponse<ReportQueries.Source> response =
        ctx.client()
            .search(
                s ->
                    s.index(Indices.EVENTS_PATTERN)
                        .ignoreUnavailable(true)
                        .allowNoIndices(true)
                        .size(MAX_ROWS)
                        .trackTotalHits(t -> t.enabled(true))
                        .source(src -> src.filter(f -> f.includes(CHANGE_FIELDS)))
                        .query(query)
                        .sort(ReportQueries.oldestFirst()),
                ReportQueries.Source.class);
    List<List<String>> rows = new ArrayList<>();
    for (Hit<ReportQueries.Source> hit : response.hits().hits()) {
      ReportQueries.Source e = hit.source() == null ? new ReportQueries.Source() : hit.source();
      String action = e.text("event.action");
      boolean windows = WINDOWS_GROUP_ACTIONS.contains(action);
      rows.add(
          List.of(
              ReportText.time(
                  Instant.ofEpochMilli(Long.parseLong(ReportQueries.text(hit.sort().get(0))))),
              orEmpty(e.text("organization.id")),
              orEmpty(e.text("host.name")),
              orEmpty(e.text(windows ? "user.target.name" : "user.name")),
              orEmpty(action),
              orEmpty(e.text("group.name")),
              orEmpty(e.text(windows ? "user.name" : "process.real_user.name"))));
    }
    TotalHits total = response.hits().total();
    long count = total == null ? rows.size() : total.value();
    figures.add(
        new ReportFigure(
            "privileged.changes", "Privileged account changes", ReportText.count(count)));
    tables.add(
        new ReportTable(
            "access-privileged-changes",
            count > rows.size()
                ? "Privileged account changes (first " + rows.size() + " of " + count + ")"
                : "Privileged account changes",
            List.of("Time", "Agency", "Host", "User", "Action", "Group", "Changed by"),
            rows));
  }

  private static Query linuxAdminGroupChange() {
    return ReportQueries.all(
        ReportQueries.terms("event.action", LINUX_GROUP_ACTIONS),
        ReportQueries.terms("group.name", List.copyOf(LINUX_ADMIN_GROUPS)));
  }

  /** As the windows pack's isPrivilegedGroup: by SID where there is one, by name otherwise. */
  private static Query windowsPrivilegedGroupChange() {
    List<Query> privileged = new ArrayList<>();
    for (String name : WINDOWS_PRIVILEGED_GROUPS) {
      privileged.add(
          Query.of(q -> q.term(t -> t.field("group.name").value(name).caseInsensitive(true))));
    }
    for (String sid : WINDOWS_BUILTIN_SIDS) {
      privileged.add(
          Query.of(q -> q.term(t -> t.field("group.id").value(sid).caseInsensitive(true))));
    }
    for (String rid : DOMAIN_PRIVILEGED_RIDS) {
      privileged.add(
          Query.of(
              q ->
                  q.wildcard(
                      w -> w.field("group.id").value("S-1-5-21-*-" + rid).caseInsensitive(true))));
    }
    return ReportQueries.all(
        ReportQueries.terms("event.action", WINDOWS_GROUP_ACTIONS),
        Query.of(q -> q.bool(b -> b.should(privileged).minimumShouldMatch("1"))));
  }

  private void audit(
      ReportContext ctx, List<ReportFigure> figures, List<ReportTable> tables, List<String> notes)
      throws IOException {
    AuditVerification verification;
    try {
      verification = ctx.audit().verify();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    figures.add(
        new ReportFigure(
            "audit.chain", "Audit trail hash chain", verification.valid() ? "intact" : "broken"));
    figures.add(
        new ReportFigure(
            "audit.records", "Audit records checked", ReportText.count(verification.records())));
    figures.add(
        new ReportFigure(
            "audit.head",
            "Hash of the newest audit record",
            verification.head() == null ? "n/a" : verification.head()));
    if (!verification.valid()) {
      figures.add(
          new ReportFigure(
              "audit.broken_at",
              "First broken audit record",
              ReportText.count(verification.firstBrokenSeq())));
      notes.add("The audit trail's hash chain is broken: " + verification.message() + ".");
    }

    List<String> actors = scopedActors(ctx.agencies());
    List<List<String>> rows = new ArrayList<>();
    long loginFailures = 0;
    long records = 0;
    if (actors == null || !actors.isEmpty()) {
      Query query =
          ReportQueries.all(
              ReportQueries.period("@timestamp", ctx.from(), ctx.to()),
              actors == null ? null : ReportQueries.terms("actor", actors));
      List<List<String>> keys = new ArrayList<>();
      List<Long> counts = new ArrayList<>();
      ReportQueries.countBy(
          ctx.client(),
          ElasticsearchAuditTrail.INDEX,
          query,
          List.of("action", "outcome"),
          (key, n) -> {
            keys.add(key);
            counts.add(n);
          });
      for (int i = 0; i < keys.size(); i++) {
        String action = orEmpty(keys.get(i).get(0));
        String outcome = orEmpty(keys.get(i).get(1));
        long n = counts.get(i);
        records += n;
        if (isFailedLogin(action, outcome)) {
          loginFailures += n;
        }
        rows.add(List.of(action, outcome, ReportText.count(n)));
      }
    }
    figures.add(
        new ReportFigure(
            "audit.actions", "Audited actions in the period", ReportText.count(records)));
    figures.add(
        new ReportFigure(
            "dashboard.login_failures",
            "Failed dashboard logins",
            ReportText.count(loginFailures)));
    tables.add(
        new ReportTable(
            "access-audit-actions",
            "Dashboard actions in the period",
            List.of("Action", "Outcome", "Records"),
            rows));
    if (actors != null) {
      notes.add(
          "The audit trail is verified as a whole (the figures reveal no other agency's data);"
              + " the dashboard actions counted are those of users who see only this report's"
              + " agencies ("
              + actors.size()
              + " users). Actions of province-wide staff, and failed logins under names that are"
              + " no user of these agencies, are not counted.");
    }
  }

  /** A wrong password, as the dashboard audits it, or a login recorded as failed. */
  static boolean isFailedLogin(String action, String outcome) {
    return "user.login_failed".equals(action)
        || ("user.login".equals(action) && "failure".equals(outcome));
  }

  /**
   * The users whose actions an agency-scoped report may count: those who see only agencies of the
   * report. A user who sees every agency (the province's SOC, admins) acts for all of them, so
   * their actions would tell one agency about the others'. Null for a report of every agency.
   */
  List<String> scopedActors(List<String> agencies) {
    if (agencies.isEmpty()) {
      return null;
    }
    List<String> actors = new ArrayList<>();
    for (User user : users.list()) {
      AgencyScope scope = user.scope();
      if (!scope.unrestricted() && agencies.containsAll(scope.organizationIds())) {
        actors.add(user.username());
      }
    }
    return actors;
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
