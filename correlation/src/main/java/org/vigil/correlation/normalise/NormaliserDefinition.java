package org.vigil.correlation.normalise;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * A normaliser as a rule admin writes it in YAML. Example:
 *
 * <pre>
 * name: sshd
 * description: OpenSSH server
 * match:
 *   appName: [sshd, sshd-session]      # program names, exact; or appNamePattern: a regex
 * fields:                              # set on every message of these programs
 *   event.dataset: syslog.sshd
 * types:                               # conversions of captured text: long, double, boolean, ip
 *   source.port: long
 *   source.ip: ip
 * patterns:                            # tried in order; the first that matches wins
 *   - id: failed_login
 *     regex: '^Failed (?&lt;method&gt;\S+) for (?&lt;user&gt;.+?) from (?&lt;addr&gt;\S+) port (?&lt;port&gt;\d+)'
 *     captures:                        # named group -&gt; ECS field, or a list of fields
 *       user: user.name
 *       addr: [source.address, source.ip]
 *       port: source.port
 *     fields:                          # constants set when this pattern matches
 *       event.category: [authentication]
 *       event.outcome: failure
 * tests:                               # run by the rule test runner and the build
 *   - message: Failed password for root from 203.0.113.9 port 4242 ssh2
 *     pattern: failed_login            # or "none": no pattern may match
 *     expect:
 *       user.name: root
 *       source.port: 4242
 * </pre>
 *
 * <p>Regexes are Java regexes, searched anywhere in the message (anchor them with {@code ^}); Java
 * group names are letters and digits only, hence the {@code captures} map.
 *
 * <p>Devices that do not write plain syslog need three more keys, all optional:
 *
 * <pre>
 * name: fortigate
 * match:
 *   messagePattern: '\bdevid="?F'    # and the message must contain this (after the program test)
 * text: message                       # or program_and_message: patterns see "PROGRAM: MSG" -- for
 *                                     # devices such as Cisco ASA whose "%ASA-6-302013:" a BSD
 *                                     # syslog parser reads as the program name
 * keyValue:                           # read key=value pairs once (see KeyValueParser) ...
 *   fields:                           # ... and set these ECS fields from them, converted by types
 *     srcip: [source.ip, source.address]
 *     srcport: source.port
 *     action: event.action
 * patterns:
 *   - id: traffic_denied
 *     when:                           # pairs that must hold one of these values; with or instead
 *       type: traffic                 # of a regex (then both must match)
 *       action: [deny, block]
 *     fields:
 *       event.category: [network]
 * derive:                             # run last: a field's value gives more constants
 *   event.action:
 *     deny: {event.outcome: failure, event.type: [connection, denied]}
 *     accept: {event.outcome: success, event.type: [connection, allowed]}
 * </pre>
 *
 * <p>Fields are set in this order, later ones replacing earlier: {@code fields}, {@code keyValue}
 * fields, the matching pattern's {@code fields}, its {@code captures}, then {@code derive}. The
 * {@code keyValue} fields and {@code derive} apply even when no pattern matches.
 */
public record NormaliserDefinition(
    String name,
    String description,
    Match match,
    Map<String, Object> fields,
    Map<String, String> types,
    String text,
    KeyValue keyValue,
    List<PatternDefinition> patterns,
    Map<String, Map<String, Map<String, Object>>> derive,
    List<TestCase> tests)
    implements Serializable {

  /** {@code text} value: patterns see the syslog MSG (the default). */
  public static final String TEXT_MESSAGE = "message";

  /**
   * {@code text} value: patterns see {@code PROGRAM: MSG} when the parser found a program name,
   * else the MSG alone; so the same regex reads a line whether or not a host name came before it.
   */
  public static final String TEXT_PROGRAM_AND_MESSAGE = "program_and_message";

  /**
   * Pairs read from the text by {@link KeyValueParser}.
   *
   * @param fields key to the ECS fields its value goes to; empty values are left out
   */
  public record KeyValue(Map<String, List<String>> fields) implements Serializable {}

  /**
   * Which messages a normaliser applies to; with neither set, it applies to every message.
   *
   * @param appName program names (syslog APP-NAME or the RFC 3164 TAG's program), exact
   * @param appNamePattern a regex the whole program name must match
   * @param messagePattern a regex that must be found in the text the patterns see; checked after
   *     the program name, so a normaliser with only this applies to any program
   */
  public record Match(List<String> appName, String appNamePattern, String messagePattern)
      implements Serializable {}

  /**
   * @param id a name for the pattern, unique in its normaliser; {@code none} is reserved
   * @param regex a Java regex with named groups; may be left out when {@code when} is given
   * @param captures named group to the ECS fields its text goes to
   * @param fields constant ECS fields set when the pattern matches; values are text, numbers,
   *     booleans or lists of them
   * @param when key-value pairs (needs {@code keyValue}) that must be present with one of the
   *     listed values
   */
  public record PatternDefinition(
      String id,
      String regex,
      Map<String, List<String>> captures,
      Map<String, Object> fields,
      Map<String, List<String>> when)
      implements Serializable {}

  /**
   * @param appName the program the message comes from; defaults to the first of {@code
   *     match.appName}
   * @param message the syslog MSG
   * @param pattern the id of the pattern that must match, or {@code none}
   * @param expect fields that must have these values; a null value means the field must be absent
   */
  public record TestCase(String appName, String message, String pattern, Map<String, Object> expect)
      implements Serializable {}
}
