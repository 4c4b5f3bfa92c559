from presspack.cli import main

raise SystemExit(main())
