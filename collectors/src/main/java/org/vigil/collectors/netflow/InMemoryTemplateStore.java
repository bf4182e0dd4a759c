package org.vigil.collectors.netflow;

import java.util.HashMap;
import java.util.Map;

/** A {@link TemplateStore} in a hash map, for one exporter or for tests. Not thread-safe. */
public final class InMemoryTemplateStore implements TemplateStore {
  private final Map<TemplateKey, Template> templates = new HashMap<>();

  @Override
  public Template get(TemplateKey key) {
    return templates.get(key);
  }

  @Override
  public void put(TemplateKey key, Template template) {
    templates.put(key, template);
  }

  @Override
  public void remove(TemplateKey key) {
    templates.remove(key);
  }

  @Override
  public void removeAll(int version, long domainId, boolean optionsTemplates) {
    templates
        .entrySet()
        .removeIf(
            e ->
                e.getKey().version() == version
                    && e.getKey().domainId() == domainId
                    && e.getValue().options() == optionsTemplates);
  }

  public int size() {
    return templates.size();
  }
}
