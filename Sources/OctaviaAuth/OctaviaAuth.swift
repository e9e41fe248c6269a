/// Authentication (Keystone tokens) and authorization (oslo.policy rules) for the API.
public enum OctaviaAuth {}
