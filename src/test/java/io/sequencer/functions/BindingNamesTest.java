package io.sequencer.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every {@code @BindingName} has something to bind, as the Java worker requires: an HTTP function's names are
 * exactly its route's parameters (none unbound, none made up), a queue function's are trigger metadata the host
 * supplies, and a timer function has none.
 */
class BindingNamesTest {
    private static final Path FUNCTIONS = Path.of(System.getProperty("sequencer.projectDir", "."))
            .resolve("src/main/java/io/sequencer/functions");
    /** Route parameters: {name}, {name?}, {name:constraint}, {*name}. */
    private static final Pattern ROUTE_PARAMETER = Pattern.compile("\\{\\*?(\\w+)(?::[^}?]*)?\\??}");
    /** What the queue trigger binds besides the message (the host's queue trigger binding data). */
    private static final Set<String> QUEUE_METADATA = Set.of("QueueTrigger", "DequeueCount", "Id", "PopReceipt",
            "InsertionTime", "ExpirationTime", "NextVisibleTime");

    @Test
    void every_binding_name_is_bound_and_every_route_parameter_has_one() throws Exception {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Class<?> type : functionClasses()) {
            for (Method method : type.getDeclaredMethods()) {
                if (!method.isAnnotationPresent(FunctionName.class)) {
                    continue;
                }
                checked++;
                String function = method.getAnnotation(FunctionName.class).value();
                Set<String> bound = new TreeSet<>();
                Arrays.stream(method.getParameters()).filter(p -> p.isAnnotationPresent(BindingName.class))
                        .forEach(p -> bound.add(p.getAnnotation(BindingName.class).value()));
                for (Parameter p : method.getParameters()) {
                    if (p.isAnnotationPresent(HttpTrigger.class)) {
                        Set<String> route = routeParameters(p.getAnnotation(HttpTrigger.class).route());
                        if (!route.equals(bound)) {
                            wrong.add(function + ": route " + p.getAnnotation(HttpTrigger.class).route() + " has "
                                    + route + ", @BindingName " + bound);
                        }
                    } else if (p.isAnnotationPresent(QueueTrigger.class) && !QUEUE_METADATA.containsAll(bound)) {
                        wrong.add(function + ": @BindingName " + bound + " is not queue trigger metadata");
                    } else if (p.isAnnotationPresent(TimerTrigger.class) && !bound.isEmpty()) {
                        wrong.add(function + ": a timer binds nothing by name, not " + bound);
                    }
                }
            }
        }
        assertThat(checked).as("functions found").isGreaterThan(20);
        assertThat(wrong).isEmpty();
    }

    @Test
    void route_parameters_are_read_in_every_form_the_host_allows() {
        assertThat(routeParameters("accounts/{account}/sequences/{sequenceId:regex(^[a-z]+$)}/x/{page?}/{*rest}"))
                .containsExactly("account", "page", "rest", "sequenceId");
    }

    static Set<String> routeParameters(String route) {
        Set<String> names = new TreeSet<>();
        Matcher m = ROUTE_PARAMETER.matcher(route);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static List<Class<?>> functionClasses() throws IOException, ClassNotFoundException {
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.list(FUNCTIONS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String name = file.getFileName().toString().replace(".java", "");
                classes.add(Class.forName("io.sequencer.functions." + name));
            }
        }
        return classes;
    }
}
