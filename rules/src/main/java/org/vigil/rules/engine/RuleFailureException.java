package org.vigil.rules.engine;

/**
 * A rule failed at run time: a condition or the consequence threw, or the rule looped on its own
 * conclusions. It says which rule, so that the caller can leave the rule's facts of that moment out
 * and go on with every other rule and group, rather than fail on the same event after every
 * restart.
 */
public final class RuleFailureException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String ruleId;

  RuleFailureException(String ruleId, String message, Throwable cause) {
    super(message, cause);
    this.ruleId = ruleId;
  }

  /** The {@code @id} of the rule that failed. */
  public String ruleId() {
    return ruleId;
  }
}
