package org.vigil.rules.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.drools.base.definitions.InternalKnowledgePackage;
import org.drools.core.rule.JavaDialectRuntimeData;
import org.drools.drl.ast.descr.AccumulateDescr;
import org.drools.drl.ast.descr.AnnotationDescr;
import org.drools.drl.ast.descr.AttributeDescr;
import org.drools.drl.ast.descr.BaseDescr;
import org.drools.drl.ast.descr.CollectDescr;
import org.drools.drl.ast.descr.ConditionalElementDescr;
import org.drools.drl.ast.descr.EntryPointDescr;
import org.drools.drl.ast.descr.GlobalDescr;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.ast.descr.PatternDescr;
import org.drools.drl.ast.descr.RuleDescr;
import org.drools.drl.ast.descr.TypeDeclarationDescr;
import org.drools.drl.parser.DrlParser;
import org.drools.drl.parser.DroolsError;
import org.drools.drl.parser.DroolsParserException;
import org.drools.io.DescrResource;
import org.drools.kiesession.rulebase.InternalKnowledgeBase;
import org.drools.kiesession.rulebase.KnowledgeBaseFactory;
import org.kie.api.KieBase;
import org.kie.api.KieBaseConfiguration;
import org.kie.api.KieServices;
import org.kie.api.conf.EventProcessingOption;
import org.kie.api.definition.KiePackage;
import org.kie.api.io.Resource;
import org.kie.api.io.ResourceType;
import org.kie.api.runtime.KieSessionConfiguration;
import org.kie.api.runtime.conf.ClockTypeOption;
import org.kie.internal.builder.KnowledgeBuilder;
import org.kie.internal.builder.KnowledgeBuilderConfiguration;
import org.kie.internal.builder.KnowledgeBuilderError;
import org.kie.internal.builder.KnowledgeBuilderFactory;
import org.kie.internal.builder.conf.ParallelRulesBuildThresholdOption;
import org.kie.internal.io.ResourceFactory;
import org.vigil.model.Event;

/**
 * A compiled set of rules. Immutable and thread-safe; build once per JVM (or per deploy) and share.
 *
 * <p>Every DRL file is parsed first, so rule metadata is checked with file and line before Java
 * code is generated; the pack is then compiled whole, for its errors. Each detection rule gets a
 * knowledge base of its own, compiled when a session of the rule is first opened, with the pack's
 * shared parts (imports, functions, declarations, {@code @indicator} rules): a session of one rule
 * ({@link #openSession}) builds and matches only that rule's network. With the whole pack in one
 * base, every session paid for the node memories of every rule its events touched, which dominated
 * the rule stage when most groups are new. {@link #evaluate} and {@link #evaluateAt}, which tests
 * and {@code vigil rules test} run once per group, use the whole pack's base, so testing a pack
 * does not build a base per rule. Rules marked {@code @indicator} derive facts for detection rules
 * (STYLE.md: derive, then decide); they share one agenda group that fires before the detection
 * rule's own group after every insert.
 *
 * <p>The pack is compiled with a {@link KnowledgeBuilder} straight into {@link KieBase}s, never
 * through the shared {@code KieRepository}, so two threads compiling at once cannot race on Drools'
 * default KieModule (the {@code DummyClassNotFoundException} of DESIGN.md).
 *
 * <p>{@code org.vigil.model.Event} is declared an event with its event time as timestamp and an
 * expiry of the longest {@code @window} in the pack, so rule authors do not declare it.
 *
 * <p>Rules see an event {@link #project projected} to the fields the pack can read: those its DRL
 * names in string literals ({@code text("user.name")}, {@code has("event.type", "start")}), its
 * rules' {@code @groupBy} and {@code @match} fields, the fields behind {@link Event}'s getters and
 * what an alert takes from its trigger ({@link #ALERT_FIELDS}). A syslog event carries 30 or more
 * fields and a NetFlow record 50, of which a rule reads a handful; the rule stage holds each event
 * for its rules' windows, and held whole, a few minutes of a busy network's events filled the heap.
 * A pack whose code reaches the whole field map ({@link #WHOLE_EVENT_MEMBERS}) gets events whole.
 * Tests of a pack ({@link #evaluate}) see the same projection as the job, so a rule that builds a
 * field name at run time instead of naming it fails its own tests.
 */
public final class RulePack {
  /** Where {@link #builtIn()} finds its DRL files; {@code index.txt} lists them. */
  public static final String BUILT_IN_FOLDER = "rules/packs/";

  /** The ruleset name of the shipped rules. */
  public static final String BUILT_IN_ID = "vigil";

  /** The global through which rules report matches. */
  public static final String DETECTIONS_GLOBAL = "detections";

  static final String DERIVE_GROUP = "vigil.derive";

  /**
   * The entry point from which a rule binds the event that completes its match: an event is there
   * from its insert until the watermark passes it, while the default entry point holds it for the
   * rule's window. See {@link RuleSession}.
   */
  public static final String ARRIVALS = "arrivals";

  /**
   * A rule that fires this often for one inserted fact loops on its own conclusions; stop it rather
   * than hang the caller.
   */
  static final int MAX_FIRINGS_PER_FACT = 10_000;

  private static final String RULE_GROUP_PREFIX = "vigil.rule.";
  private static final Set<String> ENGINE_ATTRIBUTES =
      Set.of("agenda-group", "auto-focus", "ruleflow-group", "activation-group");
  private static final Comparator<Event> EVENT_TIME = Comparator.comparingLong(Event::getTimestamp);

  /**
   * What an alert takes from the event that triggered it, besides its group-by fields: the agency,
   * the criticality of the asset at stake (risk score) and when Vigil received it (latency stamp).
   */
  public static final Set<String> ALERT_FIELDS =
      Set.of("organization.id", "vigil.asset.criticality", "event.ingested");

  /** Members of {@link Event} through which DRL reaches fields without naming them. */
  static final Set<String> WHOLE_EVENT_MEMBERS =
      Set.of("fields", "getFields", "setFields", "toDocument", "toDocumentJson");

  /** The shipped pack once compiled, see {@link #builtIn()}. */
  private static volatile RulePack builtIn;

  private final String id;
  private final List<RuleDefinition> rules;
  private final Map<String, RuleDefinition> byId;
  private final RuleIndex ruleIndex;
  private final KieBase wholeBase;
  private final Map<String, RuleBase> baseByRule;
  private final KieSessionConfiguration sessionConfiguration;
  private final Duration factExpiry;
  private final Map<String, Integer> minimumEvents;
  private final Set<String> fieldsRead;
  private final Set<String> readArrivals;

  private RulePack(
      String id,
      List<RuleDefinition> rules,
      KieBase wholeBase,
      Map<String, RuleBase> baseByRule,
      Duration factExpiry,
      Map<String, Integer> minimumEvents,
      Set<String> fieldsRead,
      Set<String> readArrivals) {
    this.id = id;
    this.rules = List.copyOf(rules);
    Map<String, RuleDefinition> index = new LinkedHashMap<>();
    for (RuleDefinition r : rules) {
      index.put(r.id(), r);
    }
    this.byId = Collections.unmodifiableMap(index);
    this.ruleIndex = new RuleIndex(this.rules);
    this.wholeBase = wholeBase;
    this.baseByRule = Map.copyOf(baseByRule);
    KieSessionConfiguration conf = KieServices.get().newKieSessionConfiguration();
    conf.setOption(ClockTypeOption.PSEUDO);
    this.sessionConfiguration = conf;
    this.factExpiry = factExpiry;
    this.minimumEvents = Map.copyOf(minimumEvents);
    this.fieldsRead = fieldsRead;
    this.readArrivals = Set.copyOf(readArrivals);
  }

  /**
   * Compiles DRL files into a pack.
   *
   * @param packId the ruleset name every rule of the pack carries
   * @param drlByName DRL text by file name; the names appear in error messages
   * @throws RuleCompilationException listing every compile error with file and line
   */
  public static RulePack compile(String packId, Map<String, String> drlByName)
      throws RuleCompilationException {
    Objects.requireNonNull(packId, "packId");
    Objects.requireNonNull(drlByName, "drlByName");
    if (packId.isBlank()) {
      throw new IllegalArgumentException("a rule pack needs a non-blank id");
    }
    List<String> problems = new ArrayList<>();
    if (drlByName.isEmpty()) {
      problems.add(packId + ": the pack holds no DRL file");
      throw new RuleCompilationException(packId, problems);
    }

    Map<PackageDescr, String> fileOf = new IdentityHashMap<>();
    List<PackageDescr> packages = new ArrayList<>();
    boolean parsed = true;
    for (Map.Entry<String, String> file : drlByName.entrySet()) {
      PackageDescr pkg = parse(file.getKey(), file.getValue(), problems);
      if (pkg == null) {
        parsed = false;
        continue;
      }
      fileOf.put(pkg, file.getKey());
      packages.add(pkg);
      problems.addAll(RuleCodePolicy.checkSource(file.getKey(), file.getValue(), pkg));
    }

    List<RuleDefinition> rules = new ArrayList<>();
    Map<String, RuleDescr> descrOf = new HashMap<>();
    EvidenceBound evidence = EvidenceBound.forPack(packages);
    Map<String, Integer> minimumEvents = new HashMap<>();
    Set<String> readArrivals = new HashSet<>();
    Set<String> ids = new HashSet<>();
    for (PackageDescr pkg : packages) {
      String file = fileOf.get(pkg);
      boolean hasGlobal = declaresDetections(pkg);
      for (RuleDescr rule : pkg.getRules()) {
        String where = file + ":" + rule.getLine() + ": rule \"" + rule.getName() + "\": ";
        List<EntryPointDescr> entryPoints = new ArrayList<>();
        entryPoints(rule.getLhs(), entryPoints);
        problems.addAll(unknownEntryPoints(file, rule, entryPoints));
        for (String attribute : ENGINE_ATTRIBUTES) {
          if (rule.getAttributes().containsKey(attribute)) {
            problems.add(where + attribute + " is set by the rule engine; remove it");
          }
        }
        if (rule.hasAnnotation("indicator")) {
          rule.addAttribute(new AttributeDescr("agenda-group", DERIVE_GROUP));
          continue;
        }
        RuleDefinition definition;
        try {
          definition = RuleDefinition.fromMetadata(packId, rule.getName(), metadata(rule));
        } catch (IllegalArgumentException e) {
          problems.add(where + e.getMessage());
          continue;
        }
        if (!ids.add(definition.id())) {
          problems.add(where + "@id(\"" + definition.id() + "\") is used by another rule");
          continue;
        }
        if (!hasGlobal) {
          problems.add(
              where
                  + "its file must declare 'global "
                  + Detections.class.getName()
                  + " "
                  + DETECTIONS_GLOBAL
                  + ";'");
        }
        rule.addAttribute(new AttributeDescr("agenda-group", groupOf(definition.id())));
        rules.add(definition);
        descrOf.put(definition.id(), rule);
        minimumEvents.put(definition.id(), evidence.of(pkg, rule));
        if (entryPoints.stream().anyMatch(e -> ARRIVALS.equals(e.getEntryId()))) {
          readArrivals.add(definition.id());
        }
      }
    }
    if (!parsed || !problems.isEmpty()) {
      throw new RuleCompilationException(packId, problems);
    }

    // One value for the events' @expires and for factExpiry(), which callers trust to match it.
    Duration factExpiry = longestWindow(rules);
    PackageDescr declarations = eventDeclaration(factExpiry, problems);
    if (declarations == null) {
      throw new RuleCompilationException(packId, problems);
    }
    // The whole pack is compiled once for its errors. Sessions use one knowledge base per
    // detection rule, holding that rule and the pack's shared parts (functions, declarations,
    // @indicator rules), so a session of one rule builds and matches only that rule's network:
    // with the whole pack in every base, each group's session paid for the memories of every rule
    // its events touched. Compiling a rule's base costs a few hundred milliseconds, so it is done
    // when a session of the rule is first opened, not for every rule of every pack compiled.
    Set<String> errors = new LinkedHashSet<>();
    KnowledgeBuilder whole = builder(declarations, packages, null, fileOf, errors);
    if (whole == null) {
      problems.addAll(errors);
      throw new RuleCompilationException(packId, problems);
    }
    problems.addAll(forbiddenCode(whole, packages));
    if (!problems.isEmpty()) {
      throw new RuleCompilationException(packId, problems);
    }
    // The rules' own bases compile the same code as the whole pack, which was checked above.
    Map<String, RuleBase> bases = new LinkedHashMap<>();
    for (RuleDefinition rule : rules) {
      bases.put(rule.id(), new RuleBase(declarations, packages, descrOf.get(rule.id()), fileOf));
    }
    return new RulePack(
        packId,
        rules,
        newBase(whole),
        bases,
        factExpiry,
        minimumEvents,
        fieldsRead(drlByName.values(), rules),
        readArrivals);
  }

  /** The knowledge base of one detection rule, compiled on first use. Thread-safe. */
  private static final class RuleBase {
    private final PackageDescr declarations;
    private final List<PackageDescr> packages;
    private final RuleDescr rule;
    private final Map<PackageDescr, String> fileOf;
    private volatile KieBase base;

    RuleBase(
        PackageDescr declarations,
        List<PackageDescr> packages,
        RuleDescr rule,
        Map<PackageDescr, String> fileOf) {
      this.declarations = declarations;
      this.packages = packages;
      this.rule = rule;
      this.fileOf = fileOf;
    }

    KieBase get() {
      KieBase ready = base;
      if (ready != null) {
        return ready;
      }
      // One build at a time per pack: the builds share the parsed descriptors.
      synchronized (packages) {
        if (base == null) {
          Set<String> errors = new LinkedHashSet<>();
          KieBase built =
              build(declarations, packages, rule, new IdentityHashMap<>(fileOf), errors);
          if (built == null) {
            // The whole pack compiled, so one of its rules alone should too.
            throw new IllegalStateException(
                "rule \"" + rule.getName() + "\" does not compile on its own: " + errors);
          }
          base = built;
        }
        return base;
      }
    }
  }

  /**
   * Builds a knowledge base from the pack's files with only the detection rule {@code keep}; adds
   * compile errors to {@code errors} and returns null on any.
   */
  private static KieBase build(
      PackageDescr declarations,
      List<PackageDescr> packages,
      RuleDescr keep,
      Map<PackageDescr, String> fileOf,
      Set<String> errors) {
    KnowledgeBuilder builder = builder(declarations, packages, keep, fileOf, errors);
    if (builder == null) {
      return null;
    }
    List<String> forbidden = forbiddenCode(builder, packages);
    if (!forbidden.isEmpty()) {
      errors.addAll(forbidden);
      return null;
    }
    return newBase(builder);
  }

  private static KieBase newBase(KnowledgeBuilder builder) {
    ClassLoader loader = RulePack.class.getClassLoader();
    KieBaseConfiguration baseConf = KieServices.get().newKieBaseConfiguration(null, loader);
    baseConf.setOption(EventProcessingOption.STREAM);
    InternalKnowledgeBase kieBase = KnowledgeBaseFactory.newKnowledgeBase(baseConf);
    kieBase.addPackages(builder.getKnowledgePackages());
    defineGeneratedClasses(kieBase);
    return kieBase;
  }

  /**
   * Compiles the pack's files with only the detection rule {@code keep} (every rule when null);
   * adds compile errors to {@code errors} and returns null on any.
   */
  private static KnowledgeBuilder builder(
      PackageDescr declarations,
      List<PackageDescr> packages,
      RuleDescr keep,
      Map<PackageDescr, String> fileOf,
      Set<String> errors) {
    ClassLoader loader = RulePack.class.getClassLoader();
    KnowledgeBuilderConfiguration builderConf =
        KnowledgeBuilderFactory.newKnowledgeBuilderConfiguration(loader);
    // Drools compiles a package of more than ten rules in a fork-join pool; in a Flink task that
    // failed ("Rules compilation failed or interrupted") where the same build in one thread works.
    builderConf.setOption(ParallelRulesBuildThresholdOption.get(-1));
    KnowledgeBuilder builder = KnowledgeBuilderFactory.newKnowledgeBuilder(builderConf);
    builder.add(new DescrResource(declarations), ResourceType.DESCR);
    String keepPackage = null;
    for (PackageDescr pkg : packages) {
      for (RuleDescr rule : pkg.getRules()) {
        if (rule == keep) {
          keepPackage = pkg.getName();
        }
      }
    }
    for (PackageDescr pkg : packages) {
      // A file of other packages' detection rules has nothing this rule can use; compiling its
      // functions again for every rule tripled the time to compile the shipped pack. Files
      // without detection rules (shared functions, declarations, @indicator rules) always come.
      if (keep != null && !pkg.getName().equals(keepPackage) && hasDetectionRules(pkg)) {
        continue;
      }
      PackageDescr restricted = keep == null ? pkg : restrict(pkg, keep);
      fileOf.put(restricted, fileOf.get(pkg));
      builder.add(new DescrResource(restricted), ResourceType.DESCR);
    }
    if (builder.hasErrors()) {
      for (KnowledgeBuilderError error : builder.getErrors()) {
        errors.add(describe(error, fileOf));
      }
      return null;
    }
    return builder;
  }

  private static boolean hasDetectionRules(PackageDescr pkg) {
    for (RuleDescr rule : pkg.getRules()) {
      if (!rule.hasAnnotation("indicator")) {
        return true;
      }
    }
    return false;
  }

  /**
   * A copy of a parsed file with its @indicator rules and at most the detection rule {@code keep}.
   */
  private static PackageDescr restrict(PackageDescr pkg, RuleDescr keep) {
    PackageDescr copy = new PackageDescr(pkg.getName(), pkg.getNamespace());
    copy.setResource(pkg.getResource());
    copy.addAllImports(pkg.getImports());
    pkg.getFunctionImports().forEach(copy::addFunctionImport);
    pkg.getAccumulateImports().forEach(copy::addAccumulateImport);
    pkg.getGlobals().forEach(copy::addGlobal);
    pkg.getAttributes().forEach(copy::addAttribute);
    pkg.getFunctions().forEach(copy::addFunction);
    pkg.getTypeDeclarations().forEach(copy::addTypeDeclaration);
    pkg.getEnumDeclarations().forEach(copy::addEnumDeclaration);
    pkg.getEntryPointDeclarations().forEach(copy::addEntryPointDeclaration);
    pkg.getWindowDeclarations().forEach(copy::addWindowDeclaration);
    for (RuleDescr rule : pkg.getRules()) {
      if (rule == keep || rule.hasAnnotation("indicator")) {
        copy.addRule(rule);
      }
    }
    return copy;
  }

  /**
   * What {@link RuleCodePolicy#checkBytecode} finds in the classes a builder generated from these
   * packages; call it on every builder whose classes will run, before they are defined.
   */
  private static List<String> forbiddenCode(KnowledgeBuilder builder, List<PackageDescr> packages) {
    Set<String> declaredTypes = new HashSet<>();
    for (PackageDescr pkg : packages) {
      for (TypeDeclarationDescr type : pkg.getTypeDeclarations()) {
        declaredTypes.add(
            type.getTypeName().contains(".")
                ? type.getTypeName()
                : pkg.getNamespace() + "." + type.getTypeName());
      }
    }
    return RuleCodePolicy.checkBytecode(
        generatedClasses(builder.getKnowledgePackages()), declaredTypes);
  }

  /**
   * The bytes of every class the compiler generated, by resource name, before any of them is
   * defined: what {@link RuleCodePolicy#checkBytecode} checks.
   */
  private static Map<String, byte[]> generatedClasses(Collection<KiePackage> packages) {
    Map<String, byte[]> classes = new LinkedHashMap<>();
    for (KiePackage kiePackage : packages) {
      if (kiePackage instanceof InternalKnowledgePackage pkg
          && pkg.getDialectRuntimeRegistry().getDialectData("java")
              instanceof JavaDialectRuntimeData java) {
        for (Map.Entry<String, byte[]> entry : java.getStore().entrySet()) {
          if (entry.getKey().endsWith(".class")) {
            classes.put(entry.getKey(), entry.getValue());
          }
        }
      }
    }
    return classes;
  }

  /**
   * Defines every class the compiler generated for the pack (rules, consequences, constraints) now,
   * in the compiling thread. Drools defines them lazily on first use, and two threads firing a rule
   * of a shared pack for the first time at once can race: one gets {@code NoClassDefFoundError} for
   * the rule's class, which fails the task. A pack is shared by every subtask of a JVM.
   */
  private static void defineGeneratedClasses(InternalKnowledgeBase kieBase) {
    for (KiePackage kiePackage : kieBase.getKiePackages()) {
      if (!(kiePackage instanceof InternalKnowledgePackage pkg)
          || !(pkg.getDialectRuntimeRegistry().getDialectData("java")
              instanceof JavaDialectRuntimeData java)) {
        continue;
      }
      ClassLoader loader = java.getClassLoader();
      for (String resource : List.copyOf(java.getStore().keySet())) {
        if (!resource.endsWith(".class")) {
          continue;
        }
        String name = resource.substring(0, resource.length() - 6).replace('/', '.');
        try {
          Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
          throw new IllegalStateException("cannot define the generated rule class " + name, e);
        }
      }
    }
  }

  /**
   * The shipped pack, from the classpath resources listed in {@code rules/packs/index.txt};
   * compiled once per JVM and cached.
   *
   * @throws IllegalStateException when the shipped rules do not compile (a build defect)
   */
  public static RulePack builtIn() {
    RulePack pack = builtIn;
    if (pack != null) {
      return pack;
    }
    // Not a holder class: a failed class initialiser fails every later use in the JVM, and a
    // Flink task cancelled while compiling must not leave the shipped pack broken for the next.
    synchronized (RulePack.class) {
      if (builtIn == null) {
        try {
          builtIn = compile(BUILT_IN_ID, builtInSources());
        } catch (RuleCompilationException e) {
          throw new IllegalStateException("the shipped rule pack does not compile", e);
        }
      }
      return builtIn;
    }
  }

  public String id() {
    return id;
  }

  /**
   * Builds every detection rule's own knowledge base now, which {@link #openSession} otherwise does
   * on the rule's first session: a caller that is about to run the pack pays the compile before
   * events wait on it. Built once per pack instance; a second call costs nothing.
   */
  public void buildRuleBases() {
    for (RuleBase base : baseByRule.values()) {
      base.get();
    }
  }

  /** The detection rules, in file order. */
  public List<RuleDefinition> rules() {
    return rules;
  }

  /**
   * The fields the pack's rules can read (see the class comment), or null when its code reaches the
   * whole field map.
   */
  static Set<String> fieldsRead(Collection<String> drls, List<RuleDefinition> rules) {
    Set<String> fields = new HashSet<>(Event.PROPERTY_FIELDS);
    fields.addAll(ALERT_FIELDS);
    List<String> literals = new ArrayList<>();
    for (String drl : drls) {
      // Escapes resolved as the compiler resolves them; RuleCodePolicy refuses the escapes that
      // would move a string's or a comment's bounds.
      String resolved = DrlTokens.resolveEscapes(drl, (line, problem) -> {});
      for (DrlTokens.Token token : DrlTokens.of(resolved, literals)) {
        if (token.isIdentifier() && WHOLE_EVENT_MEMBERS.contains(token.text())) {
          return null;
        }
      }
    }
    fields.addAll(literals);
    for (RuleDefinition rule : rules) {
      fields.addAll(rule.groupBy());
      fields.addAll(rule.match().keySet());
    }
    return Set.copyOf(fields);
  }

  /**
   * The event as the pack's rules see it: its id, its event time and only the fields they can read
   * (see the class comment), in a {@link Event#frozenCopy frozen copy}, as the job holds it: a rule
   * cannot change a held event. Values are shared, not copied.
   */
  public Event project(Event event) {
    return fieldsRead == null ? event.frozenCopy() : event.frozenCopy(fieldsRead::contains);
  }

  /**
   * The rules that {@link RuleDefinition#accepts accept} the event, in the pack's order, found
   * through an index of the values the rules require rather than by asking each rule.
   */
  public List<RuleDefinition> rulesAccepting(Event event) {
    return ruleIndex.accepting(event);
  }

  /**
   * Whether the rule binds an event from {@link #ARRIVALS}, as a rule with a {@code @window} should
   * bind its trigger (see {@link RuleSession}).
   */
  public boolean readsArrivals(String ruleId) {
    return readArrivals.contains(ruleId);
  }

  /**
   * The fewest events of one group, within the rule's window and counting the newest, on which the
   * rule can fire (see {@link EvidenceBound}): 5 for a rule that collects five failed logins, 1
   * when its conditions say nothing certain, and for an unknown rule.
   */
  public int minimumEvents(String ruleId) {
    return minimumEvents.getOrDefault(ruleId, 1);
  }

  /** The rule with this {@code @id}, or null if absent. */
  public RuleDefinition rule(String id) {
    return byId.get(id);
  }

  /**
   * Runs one rule over the facts of one group, in STREAM mode with a pseudo clock: facts are
   * inserted in event-time order, the clock advanced to each fact's timestamp before its insert,
   * and the rule's activations fired after each insert. Returns every detection raised, at most one
   * per triggering event.
   *
   * <p>Facts the rule does not {@link RuleDefinition#accepts accept} are left out, so a rule sees
   * only events of its categories that carry its group-by fields.
   *
   * <p>An {@link RuleDefinition#isAbsence absence} rule raises nothing here: it is judged only by
   * {@link #evaluateAt} when its silence has passed, and a job that still routes every event to it
   * must not pay for a session per event.
   *
   * @throws IllegalArgumentException for an unknown rule id or an event without an id
   */
  public List<Detection> evaluate(String ruleId, List<Event> factsOfOneGroup) {
    RuleDefinition rule = byId.get(ruleId);
    if (rule != null && rule.isAbsence()) {
      return List.of();
    }
    return run(ruleId, factsOfOneGroup, Long.MIN_VALUE);
  }

  /**
   * Like {@link #evaluate}, then advances the pseudo clock to {@code clockMillis} and fires again,
   * so rules that wait for time to pass (an {@code @absence} rule's temporal {@code not}) decide
   * what the silence up to that moment means. The Flink operator calls it from an event-time timer
   * with the watermark's time; facts newer than {@code clockMillis} are not expected.
   *
   * @throws IllegalArgumentException for an unknown rule id or an event without an id
   */
  public List<Detection> evaluateAt(String ruleId, List<Event> factsOfOneGroup, long clockMillis) {
    return run(ruleId, factsOfOneGroup, clockMillis);
  }

  private List<Detection> run(String ruleId, List<Event> factsOfOneGroup, long clockMillis) {
    RuleDefinition rule = byId.get(ruleId);
    if (rule == null) {
      throw new IllegalArgumentException("rule pack '" + id + "' has no rule '" + ruleId + "'");
    }
    Event[] facts = new Event[factsOfOneGroup.size()];
    int n = 0;
    for (Event e : factsOfOneGroup) {
      if (e == null) {
        continue;
      }
      if (e.getId() == null) {
        throw new IllegalArgumentException("event without an id: " + e);
      }
      if (rule.accepts(e)) {
        facts[n++] = project(e);
      }
    }
    if (n == 0) {
      return List.of();
    }
    Arrays.sort(facts, 0, n, EVENT_TIME);

    // One detection per triggering event: when the rule raises again for the same newest event
    // (older facts expired, or two facts share a timestamp), the first, fullest, raise stands.
    Map<String, Detection> byTrigger = new LinkedHashMap<>();
    // A session of the whole pack: its rule's agenda group gives the same detections as the
    // rule's own base, and a test of the pack need not build a base per rule.
    try (RuleSession session =
        new RuleSession(rule, wholeBase.newKieSession(sessionConfiguration, null))) {
      for (int i = 0; i < n; i++) {
        for (Detection d : session.insert(facts[i])) {
          byTrigger.putIfAbsent(d.triggerEventId(), d);
        }
      }
      if (clockMillis != Long.MIN_VALUE) {
        for (Detection d : session.advanceTo(clockMillis)) {
          byTrigger.putIfAbsent(d.triggerEventId(), d);
        }
      }
    }
    return List.copyOf(byTrigger.values());
  }

  /**
   * A live session of one rule, for a caller that feeds a group's events one at a time and keeps
   * the session between them (the Flink operator). Close it when done.
   *
   * @throws IllegalArgumentException for an unknown rule id
   */
  public RuleSession openSession(String ruleId) {
    RuleDefinition rule = byId.get(ruleId);
    if (rule == null) {
      throw new IllegalArgumentException("rule pack '" + id + "' has no rule '" + ruleId + "'");
    }
    return openSession(rule);
  }

  /**
   * How long after its timestamp Drools keeps an event in a session of this pack (the longest
   * {@code @window}, declared as the event's {@code @expires}): an event inserted when the
   * session's clock is already that far past it is expired before any rule sees it.
   */
  public Duration factExpiry() {
    return factExpiry;
  }

  private RuleSession openSession(RuleDefinition rule) {
    return new RuleSession(
        rule, baseByRule.get(rule.id()).get().newKieSession(sessionConfiguration, null));
  }

  @Override
  public String toString() {
    return "RulePack{" + id + ", " + byId.keySet() + "}";
  }

  static String groupOf(String ruleId) {
    return RULE_GROUP_PREFIX + ruleId;
  }

  private static PackageDescr parse(String file, String drl, List<String> problems) {
    DrlParser parser = new DrlParser();
    Resource resource = ResourceFactory.newByteArrayResource(drl.getBytes(StandardCharsets.UTF_8));
    resource.setSourcePath(file);
    try {
      PackageDescr pkg = parser.parse(resource, new StringReader(drl));
      if (!parser.hasErrors() && pkg != null) {
        pkg.setResource(resource);
        return pkg;
      }
    } catch (DroolsParserException e) {
      problems.add(file + ":" + e.getLineNumber() + ": " + e.getMessage());
      return null;
    }
    if (!parser.hasErrors()) {
      problems.add(file + ": not a DRL file");
    }
    for (DroolsError error : parser.getErrors()) {
      problems.add(file + ":" + firstLine(error.getLines()) + ": " + error.getMessage());
    }
    return null;
  }

  private static Map<String, String> metadata(RuleDescr rule) {
    Map<String, String> metadata = new LinkedHashMap<>();
    for (AnnotationDescr annotation : rule.getAnnotations()) {
      Object value = annotation.getSingleValue();
      metadata.put(
          annotation.getName(), value == null ? null : AnnotationDescr.unquote(value.toString()));
    }
    return metadata;
  }

  /**
   * A pattern from an entry point the job does not feed would never match, so the rule would never
   * fire: one problem per such pattern.
   */
  private static List<String> unknownEntryPoints(
      String file, RuleDescr rule, List<EntryPointDescr> found) {
    List<String> problems = new ArrayList<>();
    for (EntryPointDescr entryPoint : found) {
      String name = entryPoint.getEntryId();
      if (!ARRIVALS.equals(name) && !"DEFAULT".equals(name)) {
        problems.add(
            file
                + ":"
                + entryPoint.getLine()
                + ": rule \""
                + rule.getName()
                + "\": entry-point \""
                + name
                + "\" receives no events; the rule stage inserts each event into the default entry"
                + " point and into \""
                + ARRIVALS
                + "\"");
      }
    }
    return problems;
  }

  private static void entryPoints(BaseDescr descr, List<EntryPointDescr> found) {
    if (descr instanceof PatternDescr pattern) {
      if (pattern.getSource() instanceof EntryPointDescr entryPoint) {
        found.add(entryPoint);
      } else if (pattern.getSource() != null) {
        entryPoints(pattern.getSource(), found);
      }
    } else if (descr instanceof AccumulateDescr accumulate) {
      entryPoints(accumulate.getInput(), found);
    } else if (descr instanceof CollectDescr collect) {
      entryPoints(collect.getInputPattern(), found);
    } else if (descr instanceof ConditionalElementDescr element) {
      for (BaseDescr child : element.getDescrs()) {
        entryPoints(child, found);
      }
    }
  }

  private static boolean declaresDetections(PackageDescr pkg) {
    for (GlobalDescr global : pkg.getGlobals()) {
      if (DETECTIONS_GLOBAL.equals(global.getIdentifier())) {
        String type = global.getType();
        return type.equals(Detections.class.getName())
            || type.equals(Detections.class.getSimpleName());
      }
    }
    return false;
  }

  private static Duration longestWindow(List<RuleDefinition> rules) {
    Duration longest = Duration.ofSeconds(1);
    for (RuleDefinition r : rules) {
      if (r.window().compareTo(longest) > 0) {
        longest = r.window();
      }
    }
    return longest;
  }

  /**
   * Declares {@link Event} an event so temporal operators and sliding windows follow its event
   * time, and expires it once no rule can look back at it any more, which bounds memory.
   */
  private static PackageDescr eventDeclaration(Duration expiry, List<String> problems) {
    String drl =
        "package org.vigil.rules.engine.declarations;\n"
            + "declare "
            + Event.class.getName()
            + "\n  @role(event)\n  @timestamp(timestamp)\n  @expires("
            + expiry.toMillis()
            + "ms)\nend\n";
    return parse("(engine declarations)", drl, problems);
  }

  private static String describe(KnowledgeBuilderError error, Map<PackageDescr, String> fileOf) {
    String file = "(pack)";
    Resource resource = error.getResource();
    if (resource instanceof DescrResource descr && descr.getDescr() instanceof PackageDescr pkg) {
      file = fileOf.getOrDefault(pkg, file);
    } else if (resource != null && resource.getSourcePath() != null) {
      file = resource.getSourcePath();
    }
    return file + ":" + firstLine(error.getLines()) + ": " + error.getMessage().trim();
  }

  private static int firstLine(int[] lines) {
    return lines == null || lines.length == 0 ? 0 : lines[0];
  }

  /** Reads the shipped DRL files named in {@code index.txt}, in that order. */
  static Map<String, String> builtInSources() {
    ClassLoader loader = RulePack.class.getClassLoader();
    Map<String, String> sources = new LinkedHashMap<>();
    for (String line : resource(loader, BUILT_IN_FOLDER + "index.txt").split("\n")) {
      String name = line.strip();
      if (name.isEmpty() || name.startsWith("#")) {
        continue;
      }
      sources.put(BUILT_IN_FOLDER + name, resource(loader, BUILT_IN_FOLDER + name));
    }
    return sources;
  }

  private static String resource(ClassLoader loader, String path) {
    try (InputStream in = loader.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("classpath resource " + path + " is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read classpath resource " + path, e);
    }
  }
}
