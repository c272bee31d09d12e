package dev.jobguard.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.json.JsonParserFactory;

/**
 * The configuration metadata IDEs complete {@code jobguard.jobs.<name>.*} from. Boot's metadata format has no entries
 * for the properties of a Map's values (spring-boot#9945): IDEs introspect the value type named by the
 * {@code jobguard.jobs} entry. The per-job names are derived here from that type the way Boot's binder reads it, and
 * proven by binding them.
 */
class JobPropertiesMetadataTest {

    private static final String JOB = "some-job";

    @Test
    void theJobsEntryNamesTheTypeTheBinderFillsAndDescribesEveryPropertyItBinds() throws Exception {
        Class<?> valueType = jobsValueType();
        Map<String, Object> jobs = metadataProperty("jobguard.jobs");
        assertThat(jobs.get("type")).isEqualTo("java.util.Map<java.lang.String," + valueType.getName() + ">");

        List<Leaf> leaves = leaves(valueType, "", List.of());
        assertThat(leaves).hasSizeGreaterThan(10);
        String description = (String) jobs.get("description");
        for (Leaf leaf : leaves) {
            Pattern token = Pattern.compile("(?<![\\w.-])" + Pattern.quote(leaf.name()) + "(?![\\w-])");
            assertThat(token.matcher(description).find())
                    .as("jobguard.jobs description names %s", leaf.name())
                    .isTrue();
        }
    }

    @Test
    void ignoredTablesIsDescribedAsAListAddedToTheDefaults() throws Exception {
        Map<String, Object> ignored = metadataProperty("jobguard.ignored-tables");

        assertThat(ignored.get("type")).isEqualTo("java.util.List<java.lang.String>");
        assertThat((String) ignored.get("description"))
                .contains("added to the defaults")
                .contains(String.join(", ", dev.jobguard.JobGuard.DEFAULT_IGNORED_TABLES));
    }

    @Test
    void abandonAfterAndSandboxLockTimeoutAreDescribedWithTheirDefaults() throws Exception {
        Map<String, Object> abandon = metadataProperty("jobguard.abandon-after");
        assertThat(abandon.get("type")).isEqualTo("java.time.Duration");
        assertThat((String) abandon.get("description")).contains("ABANDONED");
        Map<String, Object> lockTimeout = metadataProperty("jobguard.sandbox-lock-timeout");
        assertThat(lockTimeout.get("type")).isEqualTo("java.time.Duration");
        assertThat((String) lockTimeout.get("description")).contains("dry or atomic run");
    }

    @Test
    void everyDerivedPerJobPropertyBindsUnderJobguardJobs() throws Exception {
        List<Leaf> leaves = leaves(jobsValueType(), "", List.of());
        Map<String, String> source = new LinkedHashMap<>();
        for (Leaf leaf : leaves) {
            String key = "jobguard.jobs." + JOB + "." + leaf.name();
            source.put(leaf.isMap() ? key + ".invoices" : key, sample(leaf.type()));
        }
        JobGuardProperties bound = new Binder(new MapConfigurationPropertySource(source))
                .bind("jobguard", Bindable.ofInstance(new JobGuardProperties()))
                .get();
        Object job = bound.getJobs().get(JOB);
        for (Leaf leaf : leaves) {
            Object value = leaf.read(job);
            assertThat(value).as("jobguard.jobs.%s.%s bound", JOB, leaf.name()).isNotNull();
            if (value instanceof Map<?, ?> map) {
                assertThat(map)
                        .as("jobguard.jobs.%s.%s bound", JOB, leaf.name())
                        .isNotEmpty();
            }
        }
    }

    /** The value type of {@link JobGuardProperties#getJobs()}, the type Boot binds each job's properties to. */
    private static Class<?> jobsValueType() throws NoSuchMethodException {
        Type type = JobGuardProperties.class.getMethod("getJobs").getGenericReturnType();
        return (Class<?>) ((ParameterizedType) type).getActualTypeArguments()[1];
    }

    /**
     * The properties Boot's JavaBean binder fills: a property with a setter is a value (a Map one takes keys), a
     * read-only property of a jobguard type is a nested group.
     */
    private static List<Leaf> leaves(Class<?> type, String prefix, List<Method> path) {
        List<Leaf> leaves = new ArrayList<>();
        for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type)) {
            Method getter = property.getReadMethod();
            if (getter == null || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            String name = prefix + kebab(property.getName());
            List<Method> getters = new ArrayList<>(path);
            getters.add(getter);
            if (property.getWriteMethod() != null) {
                leaves.add(new Leaf(name, property.getPropertyType(), getters));
            } else if (property.getPropertyType().getName().startsWith("dev.jobguard.")) {
                leaves.addAll(leaves(property.getPropertyType(), name + ".", getters));
            }
        }
        return leaves;
    }

    private static String sample(Class<?> type) {
        if (type == Boolean.class) {
            return "true";
        }
        if (type == Duration.class) {
            return "5m";
        }
        if (type == String.class) {
            return "observe";
        }
        return "7";
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metadataProperty(String name) throws IOException {
        for (URL url : Collections.list(JobPropertiesMetadataTest.class
                .getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            String json;
            try (InputStream in = url.openStream()) {
                json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            List<Object> properties = (List<Object>)
                    JsonParserFactory.getJsonParser().parseMap(json).getOrDefault("properties", List.of());
            for (Object property : properties) {
                Map<String, Object> entry = (Map<String, Object>) property;
                if (name.equals(entry.get("name"))) {
                    return entry;
                }
            }
        }
        throw new AssertionError("no " + name + " in any META-INF/spring-configuration-metadata.json");
    }

    private record Leaf(String name, Class<?> type, List<Method> getters) {
        boolean isMap() {
            return Map.class.isAssignableFrom(type);
        }

        Object read(Object target) throws IllegalAccessException, InvocationTargetException {
            Object value = target;
            for (Method getter : getters) {
                value = getter.invoke(value);
            }
            return value;
        }
    }
}
