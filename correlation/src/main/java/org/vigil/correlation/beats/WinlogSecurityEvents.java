package org.vigil.correlation.beats;

import java.util.List;
import java.util.Map;
import org.vigil.model.Event;

/**
 * ECS categories for the Windows Security events a SOC's rules ask about, so that a rule written
 * for {@code event.category: authentication} sees Windows logons as it sees sshd's. Winlogbeat
 * ships the raw event (its own ECS mapping runs in an Elasticsearch ingest pipeline that Vigil does
 * not use); this adds {@code event.category}, {@code event.type}, {@code event.action}, {@code
 * event.outcome} and the user, group, source, process and service fields the event data carries.
 */
final class WinlogSecurityEvents {

  /** What one event id means in ECS. */
  private record Meaning(String action, List<String> category, List<String> type, String outcome) {}

  private static final List<String> AUTHENTICATION = List.of("authentication");
  private static final List<String> IAM = List.of("iam");

  private static final Map<String, Meaning> BY_CODE =
      Map.ofEntries(
          Map.entry("4624", new Meaning("logged-in", AUTHENTICATION, List.of("start"), "success")),
          Map.entry(
              "4625", new Meaning("logon-failed", AUTHENTICATION, List.of("start"), "failure")),
          Map.entry(
              "4720",
              new Meaning("added-user-account", IAM, List.of("user", "creation"), "success")),
          Map.entry(
              "4722",
              new Meaning("enabled-user-account", IAM, List.of("user", "change"), "success")),
          Map.entry(
              "4725",
              new Meaning("disabled-user-account", IAM, List.of("user", "change"), "success")),
          Map.entry(
              "4728",
              new Meaning("added-member-to-group", IAM, List.of("group", "change"), "success")),
          Map.entry(
              "4732",
              new Meaning("added-member-to-group", IAM, List.of("group", "change"), "success")),
          Map.entry(
              "4756",
              new Meaning("added-member-to-group", IAM, List.of("group", "change"), "success")),
          Map.entry(
              "4740",
              new Meaning("locked-out-user-account", IAM, List.of("user", "change"), "success")),
          Map.entry(
              "1102",
              new Meaning(
                  "audit-log-cleared", List.of("configuration"), List.of("deletion"), "success")),
          Map.entry(
              "4688",
              new Meaning("created-process", List.of("process"), List.of("start"), "success")),
          Map.entry(
              "4697",
              new Meaning(
                  "service-installed", List.of("configuration"), List.of("creation"), "success")),
          Map.entry(
              "7045",
              new Meaning(
                  "service-installed", List.of("configuration"), List.of("creation"), "success")));

  private WinlogSecurityEvents() {}

  /** Adds the ECS meaning of a known Windows event; other events are left as they are. */
  static void map(Event event) {
    String code = code(event);
    Meaning m = code == null ? null : BY_CODE.get(code);
    if (m == null) {
      return;
    }
    event.put("event.code", code);
    event.put("event.action", m.action());
    event.put("event.category", m.category());
    event.put("event.type", m.type());
    event.put("event.outcome", m.outcome());
    switch (code) {
      case "4624", "4625" -> {
        copy(event, "TargetUserName", "user.name");
        copy(event, "TargetDomainName", "user.domain");
        copy(event, "IpAddress", "source.ip");
        copy(event, "IpPort", "source.port");
        copy(event, "WorkstationName", "source.domain");
        copy(event, "LogonType", "winlog.logon.type");
      }
      case "4720", "4722", "4725", "4740" -> {
        copy(event, "SubjectUserName", "user.name");
        copy(event, "SubjectDomainName", "user.domain");
        copy(event, "TargetUserName", "user.target.name");
        copy(event, "TargetDomainName", "user.target.domain");
      }
      case "4728", "4732", "4756" -> {
        copy(event, "SubjectUserName", "user.name");
        copy(event, "SubjectDomainName", "user.domain");
        copy(event, "MemberName", "user.target.name");
        copy(event, "TargetUserName", "group.name");
        copy(event, "TargetDomainName", "group.domain");
        copy(event, "TargetSid", "group.id");
      }
      case "1102" -> {
        copy(event, "SubjectUserName", "user.name");
        copy(event, "SubjectDomainName", "user.domain");
      }
      case "4688" -> {
        copy(event, "SubjectUserName", "user.name");
        copy(event, "SubjectDomainName", "user.domain");
        copy(event, "NewProcessName", "process.executable");
        copy(event, "CommandLine", "process.command_line");
        copy(event, "ParentProcessName", "process.parent.executable");
        pid(event, "NewProcessId", "process.pid");
      }
      case "4697" -> {
        copy(event, "SubjectUserName", "user.name");
        copy(event, "ServiceName", "service.name");
        copy(event, "ServiceFileName", "service.executable");
      }
      case "7045" -> {
        copy(event, "ServiceName", "service.name");
        copy(event, "ImagePath", "service.executable");
        copy(event, "AccountName", "user.name");
      }
      default -> {}
    }
  }

  /** Winlogbeat sends the id as {@code winlog.event_id} and, from 7.x on, {@code event.code}. */
  private static String code(Event event) {
    Object id = event.get("winlog.event_id");
    if (id == null) {
      id = event.get("event.code");
    }
    if (id == null || !"winlogbeat".equals(event.text("agent.type")) && !isWinlog(event)) {
      return null;
    }
    String text = id.toString();
    return text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
  }

  private static boolean isWinlog(Event event) {
    return event.get("winlog.channel") != null;
  }

  /** Event data values of "-" mean "none" in Windows' rendering. */
  private static void copy(Event event, String eventDataKey, String field) {
    Object v = event.get("winlog.event_data." + eventDataKey);
    if (v == null) {
      return;
    }
    String text = v.toString().trim();
    if (text.isEmpty() || text.equals("-")) {
      return;
    }
    if (field.equals("source.port")) {
      try {
        long port = Long.parseLong(text);
        if (port > 0 && port <= 65535) {
          event.put(field, port);
        }
      } catch (NumberFormatException e) {
        // Not a port: left out of source.port, still in winlog.event_data.
      }
      return;
    }
    if (field.equals("source.ip") && !looksLikeIp(text)) {
      return;
    }
    event.put(field, text);
  }

  /** Process ids are rendered in hex ({@code 0x1a2c}). */
  private static void pid(Event event, String eventDataKey, String field) {
    Object v = event.get("winlog.event_data." + eventDataKey);
    if (v == null) {
      return;
    }
    String text = v.toString().trim();
    try {
      long pid =
          text.startsWith("0x") || text.startsWith("0X")
              ? Long.parseLong(text.substring(2), 16)
              : Long.parseLong(text);
      event.put(field, pid);
    } catch (NumberFormatException e) {
      // Left in winlog.event_data only.
    }
  }

  /** IPv4 or IPv6 text, possibly IPv4-mapped ({@code ::ffff:10.0.0.1}); no name lookups. */
  private static boolean looksLikeIp(String text) {
    if (text.length() > 45) {
      return false;
    }
    boolean colon = text.indexOf(':') >= 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean ok =
          Character.isDigit(c)
              || c == '.'
              || colon && (c == ':' || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
      if (!ok) {
        return false;
      }
    }
    return text.indexOf('.') >= 0 || colon;
  }
}
