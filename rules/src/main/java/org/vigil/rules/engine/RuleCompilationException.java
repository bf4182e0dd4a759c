package org.vigil.rules.engine;

import java.util.List;

/**
 * A rule pack that cannot be used: DRL syntax or type errors, or missing and malformed rule
 * metadata. The message lists every problem as {@code file:line: text}, so a rule admin can fix
 * them all in one round.
 */
public class RuleCompilationException extends Exception {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public RuleCompilationException(String packId, List<String> problems) {
    super(
        "rule pack '"
            + packId
            + "' does not compile ("
            + problems.size()
            + (problems.size() == 1 ? " problem" : " problems")
            + "):\n  "
            + String.join("\n  ", problems));
    this.problems = List.copyOf(problems);
  }

  /** Each problem as {@code file:line: text}. */
  public List<String> problems() {
    return problems;
  }
}
