package org.vigil.rules.engine;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.drools.drl.ast.descr.AccumulateDescr;
import org.drools.drl.ast.descr.AndDescr;
import org.drools.drl.ast.descr.BaseDescr;
import org.drools.drl.ast.descr.CollectDescr;
import org.drools.drl.ast.descr.ExprConstraintDescr;
import org.drools.drl.ast.descr.FunctionDescr;
import org.drools.drl.ast.descr.ImportDescr;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.ast.descr.PatternDescr;
import org.drools.drl.ast.descr.RuleDescr;
import org.drools.drl.ast.descr.TypeDeclarationDescr;
import org.vigil.model.Event;

/**
 * The fewest events a group must hold for a detection rule to fire, read from the rule's left-hand
 * side: a threshold rule ({@code Set( size >= 5 ) from collect( Event(...) )}) needs five, a
 * distinct count ({@code accumulate( $e : Event(...); $users : collectSet( $u ); $users.size() >=
 * 10 )}) ten, since each event adds at most one element to a collected set or list and one to a
 * count. The rule stage holds the events of a group below that bound in state without asking
 * Drools, which could not fire on them: most groups in a SOC are one scanning address or one
 * mistyped password, and opening the engine for each of their events was most of the stage's cost.
 *
 * <p>The bound is a lower bound, never a guess: only forms whose meaning is certain count, and
 * anything else (a constraint written another way, a collect over a {@code from} expression, a
 * pattern under {@code not}, {@code exists} or {@code or}, an accumulate over several patterns)
 * leaves it at one, the rule then seeing every event as before. Events counted are those the
 * session holds, so the bound is also one when an {@code @indicator} rule of the pack could add
 * events of its own: one whose consequence names {@code Event}, a pack function, {@code drools} or
 * {@code kcontext}. The rule's own consequence runs only after the rule fired, so it cannot matter.
 */
final class EvidenceBound {
  private static final String EVENT_CLASS = Event.class.getName();

  /** {@code size >= 5} on a collected set or list; also {@code size()} and {@code >}. */
  private static final Pattern COLLECTED_SIZE =
      Pattern.compile("(?:this\\.)?size(?:\\(\\))?\\s*(>=|>)\\s*(\\d{1,9})");

  /** {@code $users.size() >= 10} or {@code $n >= 3} on an accumulate's result. */
  private static final Pattern RESULT_SIZE =
      Pattern.compile("(\\$?[\\w]+)(\\.size\\(\\))?\\s*(>=|>)\\s*(\\d{1,9})");

  /** Words of code: a qualified name is read as its parts, so {@code a.b.Event} names Event. */
  private static final Pattern WORD = Pattern.compile("[\\w$]+");

  private final boolean indicatorsMayAddEvents;

  private EvidenceBound(boolean indicatorsMayAddEvents) {
    this.indicatorsMayAddEvents = indicatorsMayAddEvents;
  }

  /** Reads bounds for the rules of these packages, which are compiled into one pack. */
  static EvidenceBound forPack(List<PackageDescr> packages) {
    Set<String> risky = new HashSet<>(List.of("Event", "drools", "kcontext"));
    for (PackageDescr pkg : packages) {
      for (FunctionDescr f : pkg.getFunctions()) {
        risky.add(f.getName());
      }
    }
    for (PackageDescr pkg : packages) {
      for (RuleDescr rule : pkg.getRules()) {
        if (rule.hasAnnotation("indicator") && mentions(rule.getConsequence(), risky)) {
          return new EvidenceBound(true);
        }
      }
    }
    return new EvidenceBound(false);
  }

  /** The bound of a detection rule of package {@code pkg}: one when it cannot be read. */
  int of(PackageDescr pkg, RuleDescr rule) {
    if (indicatorsMayAddEvents || !seesVigilEvent(pkg)) {
      return 1;
    }
    return of(rule.getLhs());
  }

  /** The bound of a conjunction: the largest of its parts, which must all hold at once. */
  private static int of(AndDescr and) {
    int bound = 1;
    for (BaseDescr part : and.getDescrs()) {
      if (part instanceof AndDescr nested) {
        bound = Math.max(bound, of(nested));
      } else if (part instanceof PatternDescr pattern) {
        bound = Math.max(bound, of(pattern));
      }
      // not, exists, or, forall, eval: nothing certain to count
    }
    return bound;
  }

  private static int of(PatternDescr pattern) {
    if (pattern.getSource() instanceof CollectDescr collect) {
      if (!isSessionEvent(collect.getInputPattern())) {
        return 1;
      }
      int bound = 1;
      for (BaseDescr c : pattern.getDescrs()) {
        Matcher m = matches(COLLECTED_SIZE, c);
        if (m != null) {
          bound = Math.max(bound, atLeast(m.group(1), m.group(2)));
        }
      }
      return bound;
    }
    if (pattern.getSource() instanceof AccumulateDescr accumulate) {
      return of(pattern, accumulate);
    }
    return 1;
  }

  private static int of(PatternDescr result, AccumulateDescr accumulate) {
    BaseDescr input = accumulate.getInput();
    if (input instanceof AndDescr and && and.getDescrs().size() == 1) {
      input = and.getDescrs().get(0);
    }
    if (!(input instanceof PatternDescr source) || !isSessionEvent(source)) {
      return 1; // several patterns: a count of their combinations, not of events
    }
    Map<String, String> functionOf = new HashMap<>();
    for (AccumulateDescr.AccumulateFunctionCallDescr f : accumulate.getFunctions()) {
      if (f.getBind() != null) {
        functionOf.put(f.getBind(), f.getFunction());
      }
    }
    int bound = 1;
    for (BaseDescr c : result.getDescrs()) {
      Matcher m = matches(RESULT_SIZE, c);
      if (m == null) {
        continue;
      }
      String function = functionOf.get(m.group(1));
      boolean sized = m.group(2) != null;
      boolean counts =
          sized
              ? "collectSet".equals(function) || "collectList".equals(function)
              : "count".equals(function);
      if (counts) {
        bound = Math.max(bound, atLeast(m.group(3), m.group(4)));
      }
    }
    return bound;
  }

  /** A pattern over the events in the session itself, not over a {@code from} expression. */
  private static boolean isSessionEvent(PatternDescr pattern) {
    return pattern != null
        && pattern.getSource() == null
        && ("Event".equals(pattern.getObjectType()) || EVENT_CLASS.equals(pattern.getObjectType()));
  }

  private static Matcher matches(Pattern form, BaseDescr constraint) {
    if (!(constraint instanceof ExprConstraintDescr expr) || expr.getExpression() == null) {
      return null;
    }
    Matcher m = form.matcher(expr.getExpression().strip());
    return m.matches() ? m : null;
  }

  private static int atLeast(String operator, String number) {
    long n = Long.parseLong(number) + (">".equals(operator) ? 1 : 0);
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, n));
  }

  /**
   * Whether {@code Event} in the package's patterns is Vigil's event: imported by name or package,
   * and not a type the package declares.
   */
  private static boolean seesVigilEvent(PackageDescr pkg) {
    for (TypeDeclarationDescr type : pkg.getTypeDeclarations()) {
      if ("Event".equals(type.getTypeName())) {
        return false;
      }
    }
    for (ImportDescr i : pkg.getImports()) {
      String target = i.getTarget();
      if (EVENT_CLASS.equals(target) || "org.vigil.model.*".equals(target)) {
        return true;
      }
    }
    return false;
  }

  private static boolean mentions(Object code, Set<String> words) {
    if (code == null) {
      return false;
    }
    Matcher m = WORD.matcher(code.toString());
    while (m.find()) {
      if (words.contains(m.group())) {
        return true;
      }
    }
    return false;
  }
}
