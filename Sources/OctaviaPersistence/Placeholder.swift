// OctaviaPersistence
