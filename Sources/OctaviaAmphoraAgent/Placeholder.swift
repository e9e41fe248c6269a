// OctaviaAmphoraAgent
