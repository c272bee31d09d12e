package dev.jobguard.spring;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Spring Security is on this module's test class path (for the console's tests): applications of the other tests
 * that call their HTTP endpoints open them up, as an application without Spring Security is.
 */
@Configuration(proxyBeanMethods = false)
public class OpenSecurity {

    @Bean
    SecurityFilterChain openToEveryone(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .csrf(csrf -> csrf.disable())
                .build();
    }
}
