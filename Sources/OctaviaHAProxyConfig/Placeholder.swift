// OctaviaHAProxyConfig
