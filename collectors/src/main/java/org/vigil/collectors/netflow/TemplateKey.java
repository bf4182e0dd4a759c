package org.vigil.collectors.netflow;

import java.io.Serializable;

/**
 * Identifies a template within one exporter: the export version (9 or 10, whose template id spaces
 * are separate), the v9 source id or IPFIX observation domain id, and the template id. The
 * exporter's address is not part of it because the Flink operator is already keyed by exporter.
 */
public record TemplateKey(int version, long domainId, int templateId) implements Serializable {}
