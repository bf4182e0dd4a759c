package org.vigil.dashboards.reports;

/**
 * An asset of the inventory the coverage section expects to hear from: a row of the asset inventory
 * CSV ({@code cidr,agency,asset,owner,criticality}, the file {@code vigil up --assets} reads) that
 * names an asset.
 *
 * @param cidr the asset's network, e.g. {@code 10.20.0.5/32}
 * @param agency its {@code organization.id}
 * @param name the asset's name; the CIDR when the row has none
 * @param owner who answers for it; empty when unknown
 * @param criticality {@code low|medium|high|critical}; empty when not rated
 */
public record InventoryAsset(
    String cidr, String agency, String name, String owner, String criticality) {}
