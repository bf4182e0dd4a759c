package org.vigil.collectors.netflow;

/**
 * Where the decoder keeps templates between packets. The caller owns it: the Flink operator backs
 * it with keyed {@code MapState} so templates are checkpointed and survive restarts; tests and the
 * stand-alone collector use {@link InMemoryTemplateStore}.
 */
public interface TemplateStore {

  /** The template, or null when none is known. */
  Template get(TemplateKey key);

  void put(TemplateKey key, Template template);

  void remove(TemplateKey key);

  /**
   * Removes every template of a domain of the given kind: IPFIX "withdraw all" (RFC 7011 §8.1,
   * template id 2 for data templates, 3 for options templates).
   */
  void removeAll(int version, long domainId, boolean optionsTemplates);
}
