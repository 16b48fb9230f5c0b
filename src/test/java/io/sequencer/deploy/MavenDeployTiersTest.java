package io.sequencer.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The Maven deploy path (azure-functions-maven-plugin) against the hosting tiers docs/DEPLOY.md supports: Flex
 * Consumption (the default, as the Bicep deploys) and Elastic Premium ({@code -DfunctionPricingTier=EP1..EP3}).
 * Every app setting the pom passes, in its build or in a profile, is checked against the tier it would reach.
 */
class MavenDeployTiersTest {
    private static final Path ROOT = Path.of(System.getProperty("sequencer.projectDir", "."));
    private static final String PLUGIN = "azure-functions-maven-plugin";

    /**
     * App settings the Flex Consumption plan deprecates, from "Flex Consumption plan deprecations" in the app
     * settings reference: https://learn.microsoft.com/azure/azure-functions/functions-app-settings#flex-consumption-plan-deprecations
     * (FUNCTIONS_EXTENSION_VERSION: "App Setting is set by the backend"; FUNCTIONS_WORKER_RUNTIME: "Replaced by name
     * in properties.functionAppConfig.runtime").
     */
    static final Set<String> FLEX_DEPRECATED = Set.of(
            "ENABLE_ORYX_BUILD", "FUNCTIONS_EXTENSION_VERSION", "FUNCTIONS_WORKER_RUNTIME",
            "FUNCTIONS_WORKER_RUNTIME_VERSION", "FUNCTIONS_MAX_HTTP_CONCURRENCY", "FUNCTIONS_WORKER_PROCESS_COUNT",
            "FUNCTIONS_WORKER_DYNAMIC_CONCURRENCY_ENABLED", "SCM_DO_BUILD_DURING_DEPLOYMENT",
            "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "WEBSITE_CONTENTOVERVNET", "WEBSITE_CONTENTSHARE",
            "WEBSITE_DNS_SERVER", "WEBSITE_MAX_DYNAMIC_APPLICATION_SCALE_OUT", "WEBSITE_NODE_DEFAULT_VERSION",
            "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_SKIP_CONTENTSHARE_VALIDATION", "WEBSITE_VNET_ROUTE_ALL");

    /**
     * On Premium the runtime settings must name the Functions 4 runtime and the Java worker, the values the plugin
     * writes itself when they are missing (see "FUNCTIONS_EXTENSION_VERSION" and "FUNCTIONS_WORKER_RUNTIME" in the
     * same reference: https://learn.microsoft.com/azure/azure-functions/functions-app-settings).
     */
    static final Map<String, String> PREMIUM_REQUIRED_VALUES = Map.of(
            "FUNCTIONS_EXTENSION_VERSION", "~4", "FUNCTIONS_WORKER_RUNTIME", "java");

    /** Instance sizes a Flex Consumption app may have (functionAppConfig.scaleAndConcurrency.instanceMemoryMB). */
    static final Set<String> FLEX_INSTANCE_MEMORY = Set.of("512", "2048", "4096");

    @Test
    void the_default_tier_is_flex_consumption_with_an_instance_size_flex_offers() throws Exception {
        Document pom = pom();
        Map<String, String> properties = properties(pom.getDocumentElement());

        assertThat(properties.get("functionPricingTier")).isEqualTo("Flex Consumption");
        assertThat(FLEX_INSTANCE_MEMORY).contains(properties.get("functionInstanceMemory"));
        assertThat(Integer.parseInt(properties.get("functionMaximumInstances"))).isBetween(1, 1000);
    }

    @Test
    void no_app_setting_the_pom_passes_is_one_its_tier_deprecates_or_sets_otherwise() throws Exception {
        Document pom = pom();
        Map<String, String> defaults = properties(pom.getDocumentElement());
        List<String> wrong = new ArrayList<>();
        List<Element> configurations = pluginConfigurations(pom);
        assertThat(configurations).as("the plugin's configuration is found").isNotEmpty();
        for (Element configuration : configurations) {
            Element profile = enclosing(configuration, "profile").orElse(null);
            Map<String, String> tierProperties = new LinkedHashMap<>(defaults);
            if (profile != null) {
                tierProperties.putAll(properties(profile));
            }
            String tier = resolve(text(configuration, "pricingTier").orElse("${functionPricingTier}"), tierProperties);
            String where = profile == null ? "the build" : "profile " + text(profile, "id").orElse("?");
            appSettings(configuration).forEach((name, value) ->
                    check(where, tier, name, resolve(value, tierProperties)).ifPresent(wrong::add));
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void the_bicep_flex_app_sets_none_of_the_settings_flex_deprecates() throws Exception {
        List<String> found = new ArrayList<>();
        for (Path bicep : List.of(ROOT.resolve("infra/main.bicep"), ROOT.resolve("infra/app/function-app.bicep"))) {
            List<String> lines = Files.readAllLines(bicep);
            for (int i = 0; i < lines.size(); i++) {
                String code = lines.get(i).replaceAll("//.*", "");
                for (String name : FLEX_DEPRECATED) {
                    if (code.matches(".*\\b" + name + "\\b.*")) {
                        found.add(ROOT.relativize(bicep) + ":" + (i + 1) + " " + name);
                    }
                }
            }
        }
        assertThat(found).isEmpty();
    }

    @Test
    void the_check_refuses_what_each_tier_does_not_take() {
        assertThat(check("x", "Flex Consumption", "FUNCTIONS_EXTENSION_VERSION", "~4")).isPresent();
        assertThat(check("x", "Flex Consumption", "WEBSITE_RUN_FROM_PACKAGE", "1")).isPresent();
        assertThat(check("x", "Flex Consumption", "SEQUENCER_ALLOWED_HOSTS", "a.example")).isEmpty();
        assertThat(check("x", "EP1", "FUNCTIONS_EXTENSION_VERSION", "~3")).isPresent();
        assertThat(check("x", "EP2", "FUNCTIONS_WORKER_RUNTIME", "node")).isPresent();
        assertThat(check("x", "EP3", "FUNCTIONS_EXTENSION_VERSION", "~4")).isEmpty();
        assertThat(check("x", "B1", "FUNCTIONS_EXTENSION_VERSION", "~4")).hasValueSatisfying(
                message -> assertThat(message).contains("not a tier docs/DEPLOY.md supports"));
    }

    /** Why {@code name=value} may not go to an app on {@code tier}, or empty when it may. */
    static Optional<String> check(String where, String tier, String name, String value) {
        String flex = "Flex Consumption";
        if (tier.equalsIgnoreCase(flex) || tier.equalsIgnoreCase("FC1")) {
            return FLEX_DEPRECATED.contains(name)
                    ? Optional.of(where + ": " + name + " is deprecated on Flex Consumption") : Optional.empty();
        }
        if (tier.matches("(?i)EP[123]")) {
            String required = PREMIUM_REQUIRED_VALUES.get(name);
            return required != null && !required.equalsIgnoreCase(value)
                    ? Optional.of(where + ": " + name + "=" + value + " on " + tier + ", where it must be " + required)
                    : Optional.empty();
        }
        return Optional.of(where + ": pricing tier " + tier + " is not a tier docs/DEPLOY.md supports");
    }

    private static Document pom() throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(Files.newInputStream(ROOT.resolve("pom.xml")));
    }

    private static List<Element> pluginConfigurations(Document pom) {
        List<Element> found = new ArrayList<>();
        NodeList plugins = pom.getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++) {
            Element plugin = (Element) plugins.item(i);
            if (text(plugin, "artifactId").filter(PLUGIN::equals).isPresent()) {
                child(plugin, "configuration").ifPresent(found::add);
            }
        }
        return found;
    }

    private static Map<String, String> appSettings(Element configuration) {
        Map<String, String> settings = new LinkedHashMap<>();
        child(configuration, "appSettings").ifPresent(list -> {
            for (Element property : children(list, "property")) {
                settings.put(text(property, "name").orElseThrow(), text(property, "value").orElse(""));
            }
        });
        return settings;
    }

    private static Map<String, String> properties(Element project) {
        Map<String, String> properties = new LinkedHashMap<>();
        child(project, "properties").ifPresent(list -> {
            for (Node n = list.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e) {
                    properties.put(e.getTagName(), e.getTextContent().trim());
                }
            }
        });
        return properties;
    }

    private static String resolve(String value, Map<String, String> properties) {
        String resolved = value;
        for (Map.Entry<String, String> p : properties.entrySet()) {
            resolved = resolved.replace("${" + p.getKey() + "}", p.getValue());
        }
        return resolved;
    }

    private static Optional<Element> enclosing(Element element, String tag) {
        for (Node n = element.getParentNode(); n != null; n = n.getParentNode()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    private static Optional<String> text(Element parent, String tag) {
        return child(parent, tag).map(e -> e.getTextContent().trim());
    }

    private static Optional<Element> child(Element parent, String tag) {
        List<Element> found = children(parent, tag);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                found.add(e);
            }
        }
        return found;
    }
}
