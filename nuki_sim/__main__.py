from nuki_sim.cli import main

raise SystemExit(main())
