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
 */
public record NormaliserDefinition(
    String name,
    String description,
    Match match,
    Map<String, Object> fields,
    Map<String, String> types,
    List<PatternDefinition> patterns,
    List<TestCase> tests)
    implements Serializable {

  /**
   * Which messages a normaliser applies to; with neither set, it applies to every message.
   *
   * @param appName program names (syslog APP-NAME or the RFC 3164 TAG's program), exact
   * @param appNamePattern a regex the whole program name must match
   */
  public record Match(List<String> appName, String appNamePattern) implements Serializable {}

  /**
   * @param id a name for the pattern, unique in its normaliser; {@code none} is reserved
   * @param regex a Java regex with named groups
   * @param captures named group to the ECS fields its text goes to
   * @param fields constant ECS fields set when the pattern matches; values are text, numbers,
   *     booleans or lists of them
   */
  public record PatternDefinition(
      String id, String regex, Map<String, List<String>> captures, Map<String, Object> fields)
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
