"""Release extras: files that describe a finished release directory and read only it
(and the previous release): CHANGELOG and dataset card (`card`), citation files (`cite`),
Croissant (`croissant`), report.html (`report`), the diff between releases (`diff`),
versions.json and immutability (`versions`). `finish.write_extras` writes them all; the
build calls it before sealing, so this package sits below `build`."""
