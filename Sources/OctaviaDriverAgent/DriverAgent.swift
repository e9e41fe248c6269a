/// The driver agent: octavia-lib's Unix-socket endpoints through which out-of-process provider
/// drivers report status and statistics and read objects.
public enum DriverAgent {}
