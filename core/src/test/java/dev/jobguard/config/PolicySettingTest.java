package dev.jobguard.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobguard.GuardPolicy;
import dev.jobguard.annotation.GuardedJob;
import dev.jobguard.internal.config.JobProperties;
import java.beans.IntrospectionException;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Each surface of the per-job settings against the one list of them ({@link PolicySetting}): a setting a surface
 * misses, or a surface's setting the list does not know, fails here (the Quartz keys and the Spring metadata are
 * checked in their modules).
 */
class PolicySettingTest {

    private static Set<String> catalog(java.util.function.Function<PolicySetting, String> name) {
        return Arrays.stream(PolicySetting.values()).map(name).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void everyAnnotationAttributeIsASettingAndEverySettingAnAttribute() {
        Set<String> attributes = Arrays.stream(GuardedJob.class.getDeclaredMethods())
                .map(Method::getName)
                .filter(name -> !name.equals("name")) // the job's name, not a setting of it
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(attributes).isEqualTo(catalog(PolicySetting::annotationAttribute));
    }

    @Test
    void everyBuilderSetterIsASettingAndEverySettingHasOne() {
        Set<String> setters = Arrays.stream(GuardPolicy.Builder.class.getDeclaredMethods())
                .filter(method -> Modifier.isPublic(method.getModifiers()))
                .filter(method -> method.getReturnType() == GuardPolicy.Builder.class)
                .map(Method::getName)
                .filter(name -> !name.equals("replaceTableLimit")) // tableLimit's variant that drops a limit
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(setters).isEqualTo(catalog(PolicySetting::builderMethod));
    }

    @Test
    void everySpringPropertyIsASettingAndEverySettingAProperty() throws IntrospectionException {
        Set<String> properties = new TreeSet<>();
        for (PropertyDescriptor property :
                Introspector.getBeanInfo(JobProperties.class, Object.class).getPropertyDescriptors()) {
            if (property.getName().equals("anomaly")) {
                for (PropertyDescriptor nested : Introspector.getBeanInfo(JobProperties.Anomaly.class, Object.class)
                        .getPropertyDescriptors()) {
                    properties.add("anomaly." + kebab(nested.getName()));
                }
            } else if (property.getName().equals("tables")) {
                properties.add("tables.<table>");
            } else {
                properties.add(kebab(property.getName()));
            }
        }

        assertThat(properties).isEqualTo(catalog(PolicySetting::property));
    }

    @Test
    void theAnnotationsDefaultsAndAPolicysDefaultsAreTheListsDefaults() throws Exception {
        GuardPolicy defaults = GuardPolicy.builder("job").build();
        Map<String, Object> fromPolicy = new HashMap<>();
        fromPolicy.put("anomaly", defaults.anomaly().enabled());
        fromPolicy.put("anomalyFactor", defaults.anomaly().factor());
        fromPolicy.put("anomalyMinRows", defaults.anomaly().minRows());
        fromPolicy.put("anomalyHistory", defaults.anomaly().history());
        fromPolicy.put("anomalyMinRuns", defaults.anomaly().minRuns());
        fromPolicy.put("tables", defaults.tableLimits().isEmpty() ? null : defaults.tableLimits());
        for (PolicySetting setting : PolicySetting.values()) {
            String name = setting.annotationAttribute();
            Object policyValue = fromPolicy.containsKey(name)
                    ? fromPolicy.get(name)
                    : unwrap(GuardPolicy.class.getMethod(name).invoke(defaults));
            assertThat(policyValue).as("GuardPolicy's default of %s", name).isEqualTo(setting.defaultValue());

            Object annotationDefault = GuardedJob.class.getMethod(name).getDefaultValue();
            boolean unset = annotationDefault.equals(GuardedJob.UNSET)
                    || "".equals(annotationDefault)
                    || annotationDefault.getClass().isArray();
            if (!unset) {
                assertThat(annotationDefault)
                        .as("@GuardedJob's default of %s", name)
                        .isEqualTo(setting.defaultValue());
            }
        }
    }

    @Test
    void theReadmesTableOfSettingsIsTheList() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));

        assertThat(readme)
                .as("README.md's table of settings, made from PolicySetting (paste it in when a setting changes)")
                .contains(settingsTable());
    }

    /** The README's table of settings, one row per setting, from the list. */
    static String settingsTable() {
        StringBuilder table = new StringBuilder(
                "| `@GuardedJob` | `GuardPolicy.Builder` | `jobguard.jobs.<name>.` | Quartz key | default | what it does |\n"
                        + "|---|---|---|---|---|---|\n");
        for (PolicySetting setting : PolicySetting.values()) {
            Object value = setting.defaultValue();
            table.append("| `")
                    .append(setting.annotationAttribute())
                    .append("` | `")
                    .append(setting.builderMethod())
                    .append("` | `")
                    .append(setting.property())
                    .append("` | `")
                    .append(setting.quartzKey())
                    .append("` | ")
                    .append(value == null ? "none" : value)
                    .append(" | ")
                    .append(setting.description())
                    .append(" |\n");
        }
        return table.toString();
    }

    private static Object unwrap(Object value) {
        if (value instanceof OptionalLong optional) {
            return optional.isPresent() ? optional.getAsLong() : null;
        }
        if (value instanceof Optional<?> optional) {
            return optional.orElse(null);
        }
        return value;
    }

    private static String kebab(String name) {
        return name.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }
}
