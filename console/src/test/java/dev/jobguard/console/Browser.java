package dev.jobguard.console;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium driven by Selenium, from Debian's {@code chromium} and {@code chromium-driver} packages (never a
 * downloaded driver). Absent on a laptop: the test is skipped saying so; with {@code CI=true} it fails.
 */
public final class Browser {

    private Browser() {}

    public static WebDriver open() {
        String chromium = executable("JOBGUARD_CHROMIUM", "/usr/bin/chromium");
        String driver = executable("JOBGUARD_CHROMEDRIVER", "/usr/bin/chromedriver");
        boolean present = new File(chromium).canExecute() && new File(driver).canExecute();
        String missing = "headless Chromium is needed for the console's browser tests: apt-get install -y chromium"
                + " chromium-driver (or set JOBGUARD_CHROMIUM and JOBGUARD_CHROMEDRIVER); looked for " + chromium
                + " and " + driver;
        if (!present) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(missing);
            }
            Assumptions.abort(missing);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments(
                "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=en");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(driver))
                .usingAnyFreePort()
                .build();
        ChromeDriver browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return browser;
    }

    /** The jobs page's row of a job. */
    public static WebElement row(WebDriver browser, String job) {
        return browser.findElements(By.cssSelector("#jobs tbody tr")).stream()
                .filter(row -> job.equals(row.getAttribute("data-job")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no row for job " + job));
    }

    /**
     * Fills an action form's reason (and token, when given), submits it, and waits for the answer's page before the
     * test looks at the database.
     */
    public static void act(WebDriver browser, String formId, String reason, String token) {
        WebElement form = browser.findElement(By.id(formId));
        form.findElement(By.name("reason")).sendKeys(reason);
        if (token != null) {
            form.findElement(By.name("token")).sendKeys(token);
        }
        JavascriptExecutor page = (JavascriptExecutor) browser;
        page.executeScript("window.jobguardPageBeforeAction = true;");
        form.findElement(By.tagName("button")).click();
        // A new document has no marker; asking the old form whether it is stale races Chromium's navigation
        // ("Node with given id does not belong to the document"), so the wait asks the page instead.
        new WebDriverWait(browser, Duration.ofSeconds(30))
                .ignoring(WebDriverException.class)
                .until(
                        d -> Boolean.TRUE.equals(
                                page.executeScript(
                                        "return window.jobguardPageBeforeAction === undefined && document.readyState === 'complete';")));
    }

    /** Saves a screenshot of the page, as PNG. */
    public static void screenshot(WebDriver browser, Path file) throws Exception {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private static String executable(String variable, String fallback) {
        String set = System.getenv(variable);
        return set == null || set.isBlank() ? fallback : set;
    }
}
